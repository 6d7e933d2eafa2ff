/*
 * shard: writing and reading the JSON Lines of shards (see shard.h).
 *
 * The reader is a cursor over one line that accepts the writer's own
 * output only: fixed keys in a fixed order, no spaces. Lines are parts of
 * a NUL-terminated buffer, so the number parsers (strtod) stop at the end
 * of the buffer at the latest.
 */
#include "sim/shard.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/scan.h"
#include "sim/atomicio.h"

/* ---- files ---------------------------------------------------------------- */

/* A shard file's name; shard_is_file_name reads it back with sscanf. */
#define SHARD_FILE_PATTERN "shard-%zu-of-%zu.jsonl"

int shard_file_name(char *buf, size_t len, const char *dir, size_t shard, size_t nshards)
{
	return snprintf(buf, len, "%s/" SHARD_FILE_PATTERN, dir, shard + 1, nshards);
}

bool shard_is_file_name(const char *name)
{
	size_t a, b;
	int end = 0;
	return sscanf(name, SHARD_FILE_PATTERN "%n", &a, &b, &end) == 2 && end > 0 &&
	       name[end] == '\0';
}

static void set_errpath(char *errpath, size_t errlen, const char *path)
{
	if (errpath && errlen)
		snprintf(errpath, errlen, "%s", path);
}

int shard_write_file(const char *dir, size_t shard, size_t nshards, shard_writer *writer,
                     const void *arg, char *errpath, size_t errlen)
{
	set_errpath(errpath, errlen, "");
	int rc = mkdir_p(dir);
	if (rc < 0) {
		set_errpath(errpath, errlen, dir);
		return rc;
	}
	size_t len = (size_t)shard_file_name(NULL, 0, dir, shard, nshards) + 1;
	char *file = malloc(len);
	if (!file) {
		set_errpath(errpath, errlen, dir);
		return -ENOMEM;
	}
	shard_file_name(file, len, dir, shard, nshards);
	struct afile *af = afile_open(file);
	if (!af) {
		rc = errno > 0 ? -errno : -EIO;
	} else {
		rc = writer(afile_stream(af), arg);
		if (rc < 0)
			afile_abort(af); /* nothing half-written */
		else
			rc = afile_commit(af);
	}
	if (rc < 0)
		set_errpath(errpath, errlen, file);
	free(file);
	return rc;
}

/* ---- writing -------------------------------------------------------------- */

static void num(FILE *f, double v)
{
	if (isnan(v))
		fputs("null", f);
	else if (isinf(v))
		fputs(v > 0 ? "1e999" : "-1e999", f);
	else
		fprintf(f, "%.17g", v);
}

void shard_rep_range(long replications, size_t shard, size_t nshards, long *lo, long *hi)
{
	long n = (long)nshards;
	*lo = (long)((long long)replications * (long long)shard / n);
	*hi = (long)((long long)replications * (long long)(shard + 1) / n);
}

/* v[0..n) as numbers, comma-separated. */
static void num_list(FILE *f, const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		num(f, v[i]);
	}
}

static void strategies(FILE *f, size_t n, const enum scenario_strategy *s)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		scan_json_string(f, scenario_strategy_name(s[i]));
	}
	fputc(']', f);
}

int shard_write_run(FILE *f, const struct run_result *res, size_t shard, size_t nshards)
{
	const struct run_opts *o = &res->opts;
	fprintf(f, "{\"lpsim_shard\":1,\"kind\":\"run\",\"shard\":%zu,\"of\":%zu,\"scenario\":",
	        shard + 1, nshards);
	scan_json_string(f, res->sc->file);
	fprintf(f, ",\"seed\":%" PRIu64 ",\"replications\":%ld,\"strategies\":", o->seed,
	        o->replications);
	strategies(f, o->nstrategies, o->strategies);
	fputs(",\"wall_s\":", f);
	num(f, res->wall_s);
	fputs("}\n", f);
	long lo = o->rep_lo, hi = o->rep_hi;
	if (!o->ranged) {
		lo = 0;
		hi = o->replications;
	}
	double *stuns = NULL; /* a record's stuns as one list (rec_stuns_copy) */
	size_t cap = 0;
	for (size_t si = 0; si < o->nstrategies; si++) {
		for (long r = lo; r < hi; r++) {
			const struct rec *x = &res->recs[si][r];
			size_t n = rec_stun_count(x);
			if (n > cap) {
				double *p = realloc(stuns, n * sizeof(*p));
				if (!p) {
					free(stuns);
					return -ENOMEM;
				}
				stuns = p;
				cap = n;
			}
			fprintf(f, "{\"s\":%zu,\"r\":%ld,\"t\":[", si, r);
			double t[] = {
			    x->makespan_s,       x->time_to_compliance_s, x->exposure_host_hours,
			    x->downtime_total_s, (double)x->events,       x->hosts_live,
			    x->hosts_classic,    x->hosts_failed,         x->hosts_blocked,
			    x->hosts_compliant,  x->clusters_compliant,   x->vms_fsr,
			    x->vms_vmotion,      x->vms_power_cycle,      x->vms_powered_off,
			    x->hosts_not_started, x->sdps_total_s};
			num_list(f, t, sizeof(t) / sizeof(t[0]));
			fputs("],\"vm\":[", f);
			num_list(f, x->vm_downtime, x->nvms);
			fputs("],\"stun\":[", f);
			num_list(f, stuns, n ? rec_stuns_copy(x, stuns) : 0);
			fputs("],\"cl\":[", f); /* per cluster (issue 17) */
			for (size_t c = 0; c < x->nclusters; c++) {
				double v[REC_CLUSTER_NFIELDS];
				rec_cluster_fields(&x->clusters[c], v);
				if (c)
					fputc(',', f);
				num_list(f, v, REC_CLUSTER_NFIELDS);
			}
			fputs("]}\n", f);
		}
	}
	free(stuns);
	return ferror(f) ? -EIO : 0;
}

#define NSTATS 18

static struct stat_summary *strategy_stat(struct output_strategy *o, size_t i)
{
	struct stat_summary *v[NSTATS] = {
	    &o->makespan_s,       &o->time_to_compliance_s, &o->exposure_host_hours,
	    &o->downtime_total_s, &o->downtime_per_vm_s,    &o->stun_s,
	    &o->hosts_live,       &o->hosts_classic,        &o->hosts_failed,
	    &o->hosts_blocked,    &o->hosts_compliant,      &o->vms_fsr,
	    &o->vms_vmotion,      &o->vms_power_cycle,      &o->vms_powered_off,
	    &o->events,           &o->hosts_not_started,  &o->sdps_s,
	};
	return v[i];
}

static void stat_fields(struct stat_summary *st, double **out)
{
	out[0] = NULL; /* n is a size_t */
	out[1] = &st->mean;
	out[2] = &st->sd;
	out[3] = &st->ci95_lo;
	out[4] = &st->ci95_hi;
	out[5] = &st->p50;
	out[6] = &st->p95;
	out[7] = &st->p99;
	out[8] = &st->min;
	out[9] = &st->max;
}

static void stat_pack(FILE *f, const struct stat_summary *cst, bool *first)
{
	struct stat_summary st = *cst;
	double *fld[10];
	stat_fields(&st, fld);
	for (int i = 0; i < 10; i++) {
		if (!*first)
			fputc(',', f);
		*first = false;
		if (i == 0)
			fprintf(f, "%zu", st.n);
		else
			num(f, *fld[i]);
	}
}

int shard_write_sweep(FILE *f, const char *scenario_file, const struct sweep_plan *pl,
                      const struct sweep_result *res, size_t shard, size_t nshards)
{
	fprintf(f, "{\"lpsim_shard\":1,\"kind\":\"sweep\",\"shard\":%zu,\"of\":%zu,\"scenario\":",
	        shard + 1, nshards);
	scan_json_string(f, scenario_file);
	fprintf(f, ",\"points\":%zu,\"wall_s\":", pl->npoints);
	num(f, res->wall_s);
	fputs(",\"axes\":[", f);
	for (size_t a = 0; a < pl->naxes; a++) {
		const struct sweep_axis *ax = &pl->axes[a];
		fputs(a ? ",{\"path\":" : "{\"path\":", f);
		scan_json_string(f, ax->path);
		fputs(",\"values\":[", f);
		for (size_t j = 0; j < ax->nvalues; j++) {
			if (j)
				fputc(',', f);
			scan_json_string(f, ax->values[j]);
		}
		fputs("],\"quoted\":[", f);
		for (size_t j = 0; j < ax->nvalues; j++)
			fprintf(f, "%s%d", j ? "," : "", ax->quoted[j] ? 1 : 0);
		fputs("]}", f);
	}
	fputs("]}\n", f);
	for (size_t k = 0; k < res->npoints; k++) {
		if (!res->done[k])
			continue;
		const struct output_summary *s = &res->sums[k];
		fprintf(f, "{\"point\":%zu,\"name\":", k);
		scan_json_string(f, s->scenario_name ? s->scenario_name : "");
		fputs(",\"file\":", f);
		scan_json_string(f, s->scenario_file ? s->scenario_file : "");
		fprintf(f,
		        ",\"seed\":%" PRIu64 ",\"replications\":%ld,\"clusters\":%zu,\"hosts\":%zu,"
		        "\"vms\":%zu,\"wall_s\":",
		        s->seed, s->replications, s->clusters, s->hosts, s->vms);
		num(f, s->wall_s);
		fputs(",\"strategies\":[", f);
		for (size_t i = 0; i < s->nstrategies; i++) {
			if (i)
				fputc(',', f);
			scan_json_string(f, scenario_strategy_name(s->strategies[i].strategy));
		}
		fputs("],\"v\":[", f);
		bool first = true;
		for (size_t i = 0; i < s->nstrategies; i++) {
			struct output_strategy o = s->strategies[i];
			for (size_t j = 0; j < NSTATS; j++)
				stat_pack(f, strategy_stat(&o, j), &first);
			fputc(',', f);
			num(f, o.cluster_compliant_fraction);
			for (unsigned b = 0; b < SCAN_NINCOMPAT; b++)
				fprintf(f, ",%zu", o.incompatible[b]);
		}
		fprintf(f, "%s%d", first ? "" : ",", s->has_comparison ? 1 : 0);
		if (s->has_comparison) {
			first = false;
			stat_pack(f, &s->downtime_total_diff_s, &first);
			stat_pack(f, &s->makespan_diff_s, &first);
		}
		/* issue 17's fields (headlines, per-cluster statistics), as one string */
		char *x = output_summary_extra(s);
		if (!x)
			return -ENOMEM;
		fputs("],\"x\":", f);
		scan_json_string(f, x);
		free(x);
		fputs("}\n", f);
	}
	return ferror(f) ? -EIO : 0;
}

/* ---- reading -------------------------------------------------------------- */

struct cur {
	const char *p;
	const char *end;
	bool bad;
	bool over; /* bad because a list passed its limit */
};

static bool lit(struct cur *c, const char *s)
{
	size_t n = strlen(s);
	if (c->bad || (size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0) {
		c->bad = true;
		return false;
	}
	c->p += n;
	return true;
}

static bool peek(struct cur *c, char ch)
{
	return !c->bad && c->p < c->end && *c->p == ch;
}

static double rnum(struct cur *c)
{
	if (c->bad)
		return (double)NAN;
	if ((size_t)(c->end - c->p) >= 4 && !memcmp(c->p, "null", 4)) {
		c->p += 4;
		return (double)NAN;
	}
	/* JSON's number syntax only: strtod alone would take "nan", "inf",
	 * "0x1p3", leading spaces and a '+'. */
	const char *q = c->p;
	if (q < c->end && *q == '-')
		q++;
	const char *digits = q;
	while (q < c->end && *q >= '0' && *q <= '9')
		q++;
	bool ok = q > digits;
	if (ok && q < c->end && *q == '.') {
		const char *f = ++q;
		while (q < c->end && *q >= '0' && *q <= '9')
			q++;
		ok = q > f;
	}
	if (ok && q < c->end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < c->end && (*q == '+' || *q == '-'))
			q++;
		const char *x = q;
		while (q < c->end && *q >= '0' && *q <= '9')
			q++;
		ok = q > x;
	}
	char *e;
	double v = ok ? strtod(c->p, &e) : 0;
	if (!ok || e != q) {
		c->bad = true;
		return (double)NAN;
	}
	c->p = e;
	return v;
}

/* A number that must be finite and >= 0 (a duration or a sample): else bad. */
static double rfinite(struct cur *c)
{
	double v = rnum(c);
	if (!(isfinite(v) && v >= 0))
		c->bad = true;
	return v;
}

static uint64_t ruint(struct cur *c)
{
	if (c->bad || c->p >= c->end || *c->p < '0' || *c->p > '9') {
		c->bad = true;
		return 0;
	}
	char *e;
	errno = 0;
	unsigned long long v = strtoull(c->p, &e, 10);
	if (errno || e > c->end) {
		c->bad = true;
		return 0;
	}
	c->p = e;
	return v;
}

/* A whole number that fits a long (a replication or a count of them); 0 when bad. */
static long rlong(struct cur *c)
{
	uint64_t v = ruint(c);
	if (v > (uint64_t)LONG_MAX) {
		c->bad = true;
		return 0;
	}
	return (long)v;
}

/* True when v, a count the writer wrote from an integer, is a whole number in [0, max]. */
static bool whole(double v, double max)
{
	return v >= 0 && v <= max && v == floor(v);
}

/* A JSON string as scan_json_string writes it; malloc'd, or NULL (bad or out of memory). */
static char *rstr(struct cur *c)
{
	if (!lit(c, "\""))
		return NULL;
	size_t cap = (size_t)(c->end - c->p) + 1;
	char *s = malloc(cap), *o = s;
	if (!s) {
		c->bad = true;
		return NULL;
	}
	while (c->p < c->end && *c->p != '"') {
		char ch = *c->p++;
		if (ch == '\\' && c->p < c->end) {
			char e = *c->p++;
			switch (e) {
			case 'n':
				ch = '\n';
				break;
			case 't':
				ch = '\t';
				break;
			case 'r':
				ch = '\r';
				break;
			case 'b':
				ch = '\b';
				break;
			case 'f':
				ch = '\f';
				break;
			case 'u': {
				if (c->end - c->p < 4)
					goto bad;
				char hex[5] = {c->p[0], c->p[1], c->p[2], c->p[3], 0};
				char *he;
				long u = strtol(hex, &he, 16);
				if (*he || u > 0x7f)
					goto bad;
				ch = (char)u;
				c->p += 4;
				break;
			}
			default:
				ch = e;
				break;
			}
		}
		*o++ = ch;
	}
	*o = '\0';
	if (!lit(c, "\""))
		goto bad;
	return s;
bad:
	c->bad = true;
	free(s);
	return NULL;
}

static bool rstrategy(struct cur *c, enum scenario_strategy *s)
{
	char *n = rstr(c);
	bool ok = false;
	if (n && !strcmp(n, "live_patch")) {
		*s = SCENARIO_STRATEGY_LIVE_PATCH;
		ok = true;
	} else if (n && !strcmp(n, "classic")) {
		*s = SCENARIO_STRATEGY_CLASSIC;
		ok = true;
	}
	free(n);
	if (!ok)
		c->bad = true;
	return ok;
}

static void rstrategies(struct cur *c, size_t *n, enum scenario_strategy *s)
{
	*n = 0;
	lit(c, "[");
	while (!c->bad && !peek(c, ']')) {
		if (*n && !lit(c, ","))
			break;
		if (*n >= 2) {
			c->bad = true;
			break;
		}
		rstrategy(c, &s[*n]);
		++*n;
	}
	lit(c, "]");
	if (*n == 0)
		c->bad = true;
}

void shard_header_fini(struct shard_header *h)
{
	free(h->scenario);
	sweep_plan_fini(&h->plan);
	memset(h, 0, sizeof(*h));
}

static int read_axes(struct cur *c, struct sweep_plan *pl)
{
	lit(c, "[");
	size_t cap = 0;
	while (!c->bad && !peek(c, ']')) {
		if (pl->naxes && !lit(c, ","))
			break;
		if (pl->naxes >= SCENARIO_MAX_SWEEP_AXES) {
			c->bad = c->over = true; /* the caller names the limit */
			break;
		}
		if (pl->naxes == cap) {
			size_t nc = cap ? 2 * cap : 4;
			struct sweep_axis *na = realloc(pl->axes, nc * sizeof(*na));
			if (!na)
				return -ENOMEM;
			pl->axes = na;
			cap = nc;
		}
		struct sweep_axis *ax = &pl->axes[pl->naxes++];
		memset(ax, 0, sizeof(*ax));
		lit(c, "{\"path\":");
		ax->path = rstr(c);
		lit(c, ",\"values\":[");
		size_t vcap = 0;
		while (!c->bad && !peek(c, ']')) {
			if (ax->nvalues && !lit(c, ","))
				break;
			if (ax->nvalues >= (size_t)SCENARIO_MAX_SWEEP_POINTS) {
				c->bad = c->over = true;
				break;
			}
			if (ax->nvalues == vcap) {
				vcap = vcap ? 2 * vcap : 8;
				char **nv = realloc(ax->values, vcap * sizeof(char *));
				bool *nq = realloc(ax->quoted, vcap * sizeof(bool));
				if (nv)
					ax->values = nv;
				if (nq)
					ax->quoted = nq;
				struct diag_pos *np = realloc(ax->value_pos, vcap * sizeof(*np));
				if (np)
					ax->value_pos = np;
				if (!nv || !nq || !np)
					return -ENOMEM;
			}
			ax->values[ax->nvalues] = rstr(c);
			ax->quoted[ax->nvalues] = false;
			ax->value_pos[ax->nvalues] = (struct diag_pos){0, 0};
			ax->nvalues++;
		}
		lit(c, "],\"quoted\":[");
		for (size_t j = 0; j < ax->nvalues && !c->bad; j++) {
			if (j)
				lit(c, ",");
			ax->quoted[j] = ruint(c) != 0;
		}
		lit(c, "]}");
		if (ax->nvalues == 0)
			c->bad = true;
	}
	lit(c, "]");
	/* Within the limits, the product never wraps (at most 100,000^2 here). */
	pl->npoints = 1;
	for (size_t a = 0; a < pl->naxes && !c->bad; a++) {
		pl->npoints *= pl->axes[a].nvalues;
		if (pl->npoints > (size_t)SCENARIO_MAX_SWEEP_POINTS)
			c->bad = c->over = true;
	}
	return 0;
}

/* NULL when the fields of h are within the limits, else why not (into why). */
static const char *header_limits(const struct shard_header *h, char *why, size_t whylen)
{
	if (h->nshards < 1 || h->nshards > SHARD_MAX_SHARDS)
		snprintf(why, whylen, "\"of\" is %zu, not 1 to %ld shards", h->nshards,
		         (long)SHARD_MAX_SHARDS);
	else if (h->shard < 1 || h->shard > h->nshards)
		snprintf(why, whylen, "\"shard\" is %zu, not 1 to %zu (\"of\")", h->shard,
		         h->nshards);
	else if (!(isfinite(h->wall_s) && h->wall_s >= 0))
		snprintf(why, whylen, "\"wall_s\" is not a finite number of seconds >= 0");
	else if (h->kind == SHARD_RUN &&
	         (h->replications < 1 || h->replications > SCENARIO_MAX_REPLICATIONS))
		snprintf(why, whylen, "\"replications\" is %ld, not 1 to %ld", h->replications,
		         SCENARIO_MAX_REPLICATIONS);
	else if (h->kind == SHARD_SWEEP &&
	         (h->npoints < 1 || h->npoints > (size_t)SCENARIO_MAX_SWEEP_POINTS))
		snprintf(why, whylen, "\"points\" is %zu, not 1 to %ld", h->npoints,
		         SCENARIO_MAX_SWEEP_POINTS);
	else
		return NULL;
	return why;
}

int shard_read_header(const char *line, size_t len, struct shard_header *h, char *why,
                      size_t whylen)
{
	snprintf(why, whylen, "not an lpsim shard header");
	memset(h, 0, sizeof(*h));
	struct cur c = {line, line + len, false, false};
	lit(&c, "{\"lpsim_shard\":1,\"kind\":\"");
	if (peek(&c, 'r')) {
		h->kind = SHARD_RUN;
		lit(&c, "run\"");
	} else {
		h->kind = SHARD_SWEEP;
		lit(&c, "sweep\"");
	}
	lit(&c, ",\"shard\":");
	h->shard = (size_t)ruint(&c);
	lit(&c, ",\"of\":");
	h->nshards = (size_t)ruint(&c);
	lit(&c, ",\"scenario\":");
	h->scenario = rstr(&c);
	if (h->kind == SHARD_RUN) {
		lit(&c, ",\"seed\":");
		h->seed = ruint(&c);
		lit(&c, ",\"replications\":");
		h->replications = rlong(&c);
		lit(&c, ",\"strategies\":");
		rstrategies(&c, &h->nstrategies, h->strategies);
		lit(&c, ",\"wall_s\":");
		h->wall_s = rnum(&c);
	} else {
		lit(&c, ",\"points\":");
		h->npoints = (size_t)ruint(&c);
		lit(&c, ",\"wall_s\":");
		h->wall_s = rnum(&c);
		lit(&c, ",\"axes\":");
		if (read_axes(&c, &h->plan) < 0) {
			shard_header_fini(h);
			return -ENOMEM;
		}
		if (c.over)
			snprintf(why, whylen,
			         "\"axes\" are more than %d or their points more than %ld",
			         SCENARIO_MAX_SWEEP_AXES, SCENARIO_MAX_SWEEP_POINTS);
		else if (!c.bad && h->plan.npoints != h->npoints)
			snprintf(why, whylen, "\"points\" is %zu, but the axes make %zu",
			         h->npoints, h->plan.npoints);
		if (!c.bad && h->plan.npoints != h->npoints)
			c.bad = true;
	}
	lit(&c, "}");
	if (!c.bad && c.p != c.end)
		c.bad = true;
	if (!c.bad && header_limits(h, why, whylen))
		c.bad = true;
	if (c.bad) {
		shard_header_fini(h);
		return -EINVAL;
	}
	h->shard--;
	return 0;
}

/* The per-cluster figures of a record line (REC_CLUSTER_NFIELDS numbers per
 * cluster) into r; c->bad on a malformed list. 0 or -ENOMEM. */
static int read_clusters(struct cur *c, struct rec *r)
{
	double *v = NULL;
	size_t n = 0, cap = 0;
	while (!c->bad && !peek(c, ']')) {
		if (n)
			lit(c, ",");
		if (n == cap) {
			cap = cap ? 2 * cap : REC_CLUSTER_NFIELDS * 4;
			double *p = realloc(v, cap * sizeof(double));
			if (!p) {
				free(v);
				return -ENOMEM;
			}
			v = p;
		}
		v[n++] = rnum(c);
	}
	if (n % REC_CLUSTER_NFIELDS)
		c->bad = true;
	for (size_t i = 0; i < n && !c->bad; i++) /* the counts: uint32_t */
		if (i % REC_CLUSTER_NFIELDS >= 4 && i % REC_CLUSTER_NFIELDS < 10 &&
		    !whole(v[i], 4294967295.0))
			c->bad = true;
	int rc = 0;
	if (!c->bad && n) {
		rc = rec_init_clusters(r, n / REC_CLUSTER_NFIELDS);
		for (size_t k = 0; rc == 0 && k < r->nclusters; k++)
			rec_cluster_from_fields(&r->clusters[k], v + k * REC_CLUSTER_NFIELDS);
	}
	free(v);
	return rc;
}

int shard_read_record(const char *line, size_t len, size_t nhosts, size_t nvms, size_t *si,
                      long *rep, struct rec *r)
{
	struct cur c = {line, line + len, false, false};
	lit(&c, "{\"s\":");
	*si = (size_t)ruint(&c);
	lit(&c, ",\"r\":");
	*rep = rlong(&c);
	lit(&c, ",\"t\":[");
	double t[17];
	for (int i = 0; i < 17; i++) {
		if (i)
			lit(&c, ",");
		t[i] = rnum(&c);
	}
	/* Durations finite and >= 0; time to compliance null when never. */
	for (int i = 0; i < 4; i++)
		if (!(isfinite(t[i]) && t[i] >= 0) && !(i == 1 && isnan(t[i])))
			c.bad = true;
	if (!(isfinite(t[16]) && t[16] >= 0)) /* the SDPS time */
		c.bad = true;
	lit(&c, "],\"vm\":[");
	/* The counts: events a uint64_t (below 2^64), the others uint32_t. */
	if (!whole(t[4], 18446744073709549568.0))
		c.bad = true;
	for (int i = 5; i < 16; i++)
		if (!whole(t[i], 4294967295.0))
			c.bad = true;
	if (c.bad)
		return -EINVAL;
	if (rec_init(r, nhosts, nvms, false) < 0)
		return -ENOMEM;
	r->makespan_s = t[0];
	r->time_to_compliance_s = t[1];
	r->exposure_host_hours = t[2];
	r->downtime_total_s = t[3];
	r->events = (uint64_t)t[4];
	r->hosts_live = (uint32_t)t[5];
	r->hosts_classic = (uint32_t)t[6];
	r->hosts_failed = (uint32_t)t[7];
	r->hosts_blocked = (uint32_t)t[8];
	r->hosts_compliant = (uint32_t)t[9];
	r->clusters_compliant = (uint32_t)t[10];
	r->vms_fsr = (uint32_t)t[11];
	r->vms_vmotion = (uint32_t)t[12];
	r->vms_power_cycle = (uint32_t)t[13];
	r->vms_powered_off = (uint32_t)t[14];
	r->hosts_not_started = (uint32_t)t[15];
	r->sdps_total_s = t[16];
	for (size_t i = 0; i < nvms && !c.bad; i++) {
		if (i)
			lit(&c, ",");
		r->vm_downtime[i] = rfinite(&c);
	}
	lit(&c, "],\"stun\":[");
	while (!c.bad && !peek(&c, ']')) {
		if (r->nstuns)
			lit(&c, ",");
		double v = rfinite(&c);
		if (!c.bad && rec_add_stun(r, v) < 0) {
			rec_fini(r);
			return -ENOMEM;
		}
	}
	lit(&c, "],\"cl\":[");
	if (read_clusters(&c, r) < 0) {
		rec_fini(r);
		return -ENOMEM;
	}
	lit(&c, "]}");
	if (c.bad || c.p != c.end) {
		rec_fini(r);
		return -EINVAL;
	}
	rec_trim(r);
	return 0;
}

static void stat_unpack(struct cur *c, struct stat_summary *st, bool *first)
{
	double *fld[10];
	stat_fields(st, fld);
	for (int i = 0; i < 10; i++) {
		if (!*first)
			lit(c, ",");
		*first = false;
		if (i == 0)
			st->n = (size_t)ruint(c);
		else
			*fld[i] = rnum(c);
	}
}

int shard_read_point(const char *line, size_t len, size_t *k, struct output_summary *s)
{
	memset(s, 0, sizeof(*s));
	struct cur c = {line, line + len, false, false};
	lit(&c, "{\"point\":");
	*k = (size_t)ruint(&c);
	lit(&c, ",\"name\":");
	s->scenario_name = rstr(&c);
	lit(&c, ",\"file\":");
	s->scenario_file = rstr(&c);
	lit(&c, ",\"seed\":");
	s->seed = ruint(&c);
	lit(&c, ",\"replications\":");
	s->replications = rlong(&c);
	lit(&c, ",\"clusters\":");
	s->clusters = (size_t)ruint(&c);
	lit(&c, ",\"hosts\":");
	s->hosts = (size_t)ruint(&c);
	lit(&c, ",\"vms\":");
	s->vms = (size_t)ruint(&c);
	lit(&c, ",\"wall_s\":");
	s->wall_s = rfinite(&c);
	lit(&c, ",\"strategies\":");
	enum scenario_strategy st[2] = {0, 0};
	rstrategies(&c, &s->nstrategies, st);
	lit(&c, ",\"v\":[");
	bool first = true;
	for (size_t i = 0; i < s->nstrategies && !c.bad; i++) {
		struct output_strategy *o = &s->strategies[i];
		o->strategy = st[i];
		for (size_t j = 0; j < NSTATS; j++)
			stat_unpack(&c, strategy_stat(o, j), &first);
		lit(&c, ",");
		o->cluster_compliant_fraction = rnum(&c);
		for (unsigned b = 0; b < SCAN_NINCOMPAT; b++) {
			lit(&c, ",");
			o->incompatible[b] = (size_t)ruint(&c);
		}
	}
	if (!first)
		lit(&c, ",");
	s->has_comparison = ruint(&c) != 0;
	if (s->has_comparison) {
		first = false;
		stat_unpack(&c, &s->downtime_total_diff_s, &first);
		stat_unpack(&c, &s->makespan_diff_s, &first);
	}
	lit(&c, "],\"x\":");
	char *x = c.bad ? NULL : rstr(&c);
	lit(&c, "}");
	int rc = c.bad || !x ? -EINVAL : output_summary_extra_read(s, x);
	free(x);
	if (rc < 0 || c.bad || c.p != c.end || !s->scenario_name || !s->scenario_file) {
		output_summary_fini(s);
		return rc == -ENOMEM ? -ENOMEM : -EINVAL;
	}
	return 0;
}
