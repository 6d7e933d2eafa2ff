/*
 * scenario_value: the scalar grammars of the scenario format, free of any
 * tree: name patterns (checked, expanded and matched without printf),
 * durations, versions, and the YAML spellings of the enums.
 */
#include "scenarios/scenario.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- name patterns ------------------------------------------------------- */

/* A parsed pattern: literal text around at most one integer conversion. */
struct name_pattern {
	bool has_conv;
	size_t conv_start; /* offset of '%' */
	size_t conv_end;   /* offset just past the conversion letter */
	bool zero;         /* flag 0: pad with zeros */
	bool left;         /* flag -: pad on the right */
	int width;
};

static bool name_pattern_parse(const char *p, struct name_pattern *out, char *why, size_t whylen)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; p[i]; i++) {
		if (p[i] != '%')
			continue;
		size_t start = i;
		i++;
		if (p[i] == '%')
			continue;
		if (!p[i]) {
			snprintf(why, whylen, "'%%' at the end (write %%%% for a percent sign)");
			return false;
		}
		bool zero = false;
		bool left = false;
		while (p[i] == '0' || p[i] == '-') {
			zero |= p[i] == '0';
			left |= p[i] == '-';
			i++;
		}
		int width = 0;
		bool wide = false;
		while (p[i] >= '0' && p[i] <= '9') {
			width = width * 10 + (p[i] - '0');
			if (width > SCENARIO_MAX_NAME_WIDTH)
				wide = true;
			if (width > 1000)
				width = 1000;
			i++;
		}
		if (p[i] != 'd' && p[i] != 'i' && p[i] != 'u') {
			/* Show the conversion as written, up to its letter. */
			size_t end = i;
			while (
			    p[end] && end - start < 12 &&
			    !((p[end] >= 'a' && p[end] <= 'z') || (p[end] >= 'A' && p[end] <= 'Z')))
				end++;
			if (p[end] && end - start < 12)
				end++;
			char conv[64];
			diag_snippet(conv, sizeof(conv), p + start, end - start);
			snprintf(why, whylen,
			         "'%s' is not an integer conversion (use %%d, %%03d, ...; %%%% for "
			         "a percent sign)",
			         conv);
			return false;
		}
		if (wide) {
			/* The conversion as written, however long its width. */
			char conv[48];
			diag_snippet(conv, sizeof(conv), p + start, i + 1 - start);
			snprintf(why, whylen, "the width of '%s' is more than the limit of %d", conv,
			         SCENARIO_MAX_NAME_WIDTH);
			return false;
		}
		if (out->has_conv) {
			snprintf(why, whylen, "more than one conversion (a name takes one number)");
			return false;
		}
		out->has_conv = true;
		out->conv_start = start;
		out->conv_end = i + 1;
		out->zero = zero && !left;
		out->left = left;
		out->width = width;
	}
	return true;
}

bool scenario_name_pattern_ok(const char *pattern, bool *has_conversion, char *why, size_t whylen)
{
	struct name_pattern np;
	char dummy[8];
	if (!why) {
		why = dummy;
		whylen = sizeof(dummy);
	}
	if (!name_pattern_parse(pattern, &np, why, whylen))
		return false;
	if (has_conversion)
		*has_conversion = np.has_conv;
	return true;
}

/* Copies the literal p[from..to) with %% as %; returns bytes written or -ENOSPC. */
static int name_literal(const char *p, size_t from, size_t to, char *buf, size_t len, size_t *o)
{
	for (size_t i = from; i < to; i++) {
		if (p[i] == '%' && p[i + 1] == '%')
			i++;
		if (*o + 1 >= len)
			return -ENOSPC;
		buf[(*o)++] = p[i];
	}
	return 0;
}

static int name_number(const struct name_pattern *np, long i, char *buf, size_t len, size_t *o)
{
	char digits[24];
	size_t nd = 0;
	unsigned long mag = i < 0 ? 0ul - (unsigned long)i : (unsigned long)i;
	do {
		digits[nd++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag);
	size_t body = nd + (i < 0);
	size_t pad = (size_t)np->width > body ? (size_t)np->width - body : 0;
	if (*o + body + pad >= len)
		return -ENOSPC;
	if (!np->left && !np->zero)
		for (size_t k = 0; k < pad; k++)
			buf[(*o)++] = ' ';
	if (i < 0)
		buf[(*o)++] = '-';
	if (np->zero)
		for (size_t k = 0; k < pad; k++)
			buf[(*o)++] = '0';
	while (nd)
		buf[(*o)++] = digits[--nd];
	if (np->left)
		for (size_t k = 0; k < pad; k++)
			buf[(*o)++] = ' ';
	return 0;
}

int scenario_name_expand(const char *pattern, long i, char *buf, size_t len)
{
	struct name_pattern np;
	char why[8];
	if (!name_pattern_parse(pattern, &np, why, sizeof(why)))
		return -EINVAL;
	if (len == 0)
		return -ENOSPC;
	size_t o = 0;
	size_t plen = strlen(pattern);
	int rc;
	if (np.has_conv) {
		rc = name_literal(pattern, 0, np.conv_start, buf, len, &o);
		if (!rc)
			rc = name_number(&np, i, buf, len, &o);
		if (!rc)
			rc = name_literal(pattern, np.conv_end, plen, buf, len, &o);
	} else {
		rc = name_literal(pattern, 0, plen, buf, len, &o);
	}
	if (rc) {
		buf[0] = '\0';
		return rc;
	}
	buf[o] = '\0';
	return o > (size_t)0x7fffffff ? -ENOSPC : (int)o;
}

bool scenario_name_match(const char *pattern, long count, const char *name, long *out)
{
	struct name_pattern np;
	char why[8];
	if (!name_pattern_parse(pattern, &np, why, sizeof(why)))
		return false;
	char buf[SCENARIO_MAX_NAME_LEN + 32];
	if (!np.has_conv) {
		if (count < 1 || scenario_name_expand(pattern, 1, buf, sizeof(buf)) < 0 ||
		    strcmp(buf, name))
			return false;
		*out = 1;
		return true;
	}
	/* Literal prefix and suffix as they expand (%% -> %). */
	char pre[SCENARIO_MAX_NAME_LEN + 32];
	char suf[SCENARIO_MAX_NAME_LEN + 32];
	size_t npre = 0;
	size_t nsuf = 0;
	if (name_literal(pattern, 0, np.conv_start, pre, sizeof(pre), &npre) ||
	    name_literal(pattern, np.conv_end, strlen(pattern), suf, sizeof(suf), &nsuf))
		return false;
	size_t nlen = strlen(name);
	if (nlen < npre + nsuf || memcmp(name, pre, npre) || memcmp(name + nlen - nsuf, suf, nsuf))
		return false;
	/* The middle holds the number, maybe padded: read its digits, then re-expand. */
	long v = 0;
	size_t digits = 0;
	for (size_t k = npre; k < nlen - nsuf; k++) {
		char ch = name[k];
		if (ch >= '0' && ch <= '9') {
			if (++digits > 12)
				return false;
			v = v * 10 + (ch - '0');
		} else if (ch != ' ') {
			return false;
		}
	}
	if (!digits || v < 1 || v > count)
		return false;
	if (scenario_name_expand(pattern, v, buf, sizeof(buf)) < 0 || strcmp(buf, name))
		return false;
	*out = v;
	return true;
}

/* ---- durations ------------------------------------------------------------ */

/* YAML 1.2 core float/int syntax, decimal only: [-+]?(d+(.d*)?|.d+)([eE][-+]?d+)? */
static bool is_decimal_number(const char *s)
{
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	size_t ip = 0;
	size_t fp = 0;
	while (*p >= '0' && *p <= '9') {
		p++;
		ip++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			fp++;
		}
	}
	if (ip + fp == 0)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

bool scenario_parse_duration(const char *s, double *seconds, char *why, size_t whylen)
{
	static const struct {
		const char *name;
		double scale;
	} units[] = {{"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1}, {"ms", 0.001}};
	const size_t nunits = sizeof(units) / sizeof(units[0]);
	char dummy[8];
	if (!why) {
		why = dummy;
		whylen = sizeof(dummy);
	}
	if (s[0] == '-') {
		snprintf(why, whylen, "negative");
		return false;
	}
	double total = 0;
	if (is_decimal_number(s)) {
		total = strtod(s, NULL);
	} else {
		const char *p = s;
		size_t next_unit = 0; /* units must come in decreasing order, each once */
		bool fraction_seen = false;
		if (!*p) {
			snprintf(why, whylen, "empty");
			return false;
		}
		while (*p) {
			if (fraction_seen) {
				snprintf(why, whylen, "only the last part may have a fraction");
				return false;
			}
			const char *num = p;
			while ((*p >= '0' && *p <= '9') || *p == '.')
				p++;
			char nbuf[64];
			size_t nlen = (size_t)(p - num);
			if (nlen == 0 || nlen >= sizeof(nbuf)) {
				snprintf(why, whylen,
				         nlen ? "number too long" : "expected a number");
				return false;
			}
			memcpy(nbuf, num, nlen);
			nbuf[nlen] = '\0';
			if (!is_decimal_number(nbuf)) {
				snprintf(why, whylen, "expected a number");
				return false;
			}
			fraction_seen = strchr(nbuf, '.') != NULL;
			const char *u = p;
			while (*p && !((*p >= '0' && *p <= '9') || *p == '.'))
				p++;
			size_t ulen = (size_t)(p - u);
			if (ulen == 0) {
				snprintf(why, whylen, "missing unit; use ms, s, m, h or d");
				return false;
			}
			size_t k = 0;
			while (k < nunits &&
			       !(strlen(units[k].name) == ulen && !memcmp(units[k].name, u, ulen)))
				k++;
			if (k == nunits) {
				char snip[64];
				snprintf(why, whylen, "unknown unit '%s'; use ms, s, m, h or d",
				         diag_snippet(snip, sizeof(snip), u, ulen));
				return false;
			}
			if (k < next_unit) {
				snprintf(
				    why, whylen,
				    "units must go from the largest to the smallest, each once");
				return false;
			}
			next_unit = k + 1;
			total += strtod(nbuf, NULL) * units[k].scale;
		}
	}
	if (!isfinite(total) || total > SCENARIO_MAX_DURATION) {
		snprintf(why, whylen, "longer than the limit of 1000000000 s");
		return false;
	}
	*seconds = total == 0 ? 0 : total; /* no -0 */
	return true;
}

/* ---- versions --------------------------------------------------------------- */

static bool version_part(const char **p, unsigned *out)
{
	const char *s = *p;
	unsigned v = 0;
	size_t n = 0;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned)(*s - '0');
		if (++n > 3)
			return false;
		s++;
	}
	if (n == 0)
		return false;
	*p = s;
	*out = v;
	return true;
}

bool scenario_parse_version(const char *s, uint32_t *v)
{
	unsigned major = 0;
	unsigned minor = 0;
	unsigned update = 0;
	const char *p = s;
	if (!version_part(&p, &major))
		return false;
	if (*p == '.') {
		p++;
		if (!version_part(&p, &minor))
			return false;
		if (*p == '.') {
			p++;
			if (!version_part(&p, &update))
				return false;
		} else {
			if (*p == ' ')
				p++;
			if (*p == 'U' || *p == 'u') {
				p++;
				if (!version_part(&p, &update))
					return false;
			}
		}
	}
	if (*p)
		return false;
	*v = SCENARIO_VERSION(major, minor, update);
	return true;
}

char *scenario_version_format(uint32_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u", (unsigned)SCENARIO_VERSION_MAJOR(v),
	         (unsigned)SCENARIO_VERSION_MINOR(v), (unsigned)SCENARIO_VERSION_UPDATE(v));
	return buf;
}

/* ---- enum spellings ----------------------------------------------------------- */

const char *scenario_mode_name(enum scenario_mode m)
{
	switch (m) {
	case SCENARIO_MODE_ENFORCE:
		return "enforce";
	case SCENARIO_MODE_AUTO:
		return "auto";
	case SCENARIO_MODE_DISABLE:
		return "disable";
	}
	return "?";
}

const char *scenario_power_action_name(enum scenario_power_action a)
{
	switch (a) {
	case SCENARIO_POWER_ACTION_DO_NOT_CHANGE:
		return "do_not_change";
	case SCENARIO_POWER_ACTION_POWER_OFF:
		return "power_off";
	case SCENARIO_POWER_ACTION_SUSPEND:
		return "suspend";
	case SCENARIO_POWER_ACTION_SUSPEND_TO_MEMORY:
		return "suspend_to_memory";
	case SCENARIO_POWER_ACTION_POWER_OFF_UNMOVABLE:
		return "power_off_unmovable";
	case SCENARIO_POWER_ACTION_SUSPEND_UNMOVABLE:
		return "suspend_unmovable";
	}
	return "?";
}

const char *scenario_manual_policy_name(enum scenario_manual_policy p)
{
	switch (p) {
	case SCENARIO_MANUAL_NONE:
		return "none";
	case SCENARIO_MANUAL_AUTO:
		return "auto";
	case SCENARIO_MANUAL_POWER_CYCLE:
		return "power_cycle";
	}
	return "?";
}

const char *scenario_manual_start_name(enum scenario_manual_start s)
{
	switch (s) {
	case SCENARIO_MANUAL_AFTER_HOST:
		return "after_host";
	case SCENARIO_MANUAL_AFTER_CLUSTER:
		return "after_cluster";
	}
	return "?";
}

const char *scenario_drs_automation_name(enum scenario_drs_automation a)
{
	switch (a) {
	case SCENARIO_DRS_MANUAL:
		return "manual";
	case SCENARIO_DRS_PARTIALLY_AUTOMATED:
		return "partially_automated";
	case SCENARIO_DRS_FULLY_AUTOMATED:
		return "fully_automated";
	}
	return "?";
}

const char *scenario_power_name(enum scenario_power p)
{
	switch (p) {
	case SCENARIO_POWER_ON:
		return "on";
	case SCENARIO_POWER_OFF:
		return "off";
	case SCENARIO_POWER_SUSPENDED:
		return "suspended";
	}
	return "?";
}

const char *scenario_rule_type_name(enum scenario_rule_type t)
{
	switch (t) {
	case SCENARIO_RULE_VM_AFFINITY:
		return "vm_affinity";
	case SCENARIO_RULE_VM_ANTI_AFFINITY:
		return "vm_anti_affinity";
	}
	return "?";
}

const char *scenario_strategy_name(enum scenario_strategy s)
{
	switch (s) {
	case SCENARIO_STRATEGY_LIVE_PATCH:
		return "live_patch";
	case SCENARIO_STRATEGY_CLASSIC:
		return "classic";
	}
	return "?";
}
