/*
 * plot_data: reading a run directory back; see plot_data.h.
 *
 * summary.json goes through jansson into a struct output_summary; each
 * CSV file through plot_csv, row by row, checking its header, the field
 * count, the strategy (one of summary.json's), the replication (below
 * summary.json's count) and every value it keeps. Hosts are found by
 * (cluster, host) in a small open-addressing table; names are copied into
 * the run's arena once, for the detailed replication only.
 */
#include "plots/plot_data.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "models/record.h"
#include "models/scan.h"
#include "plots/plot.h"
#include "plots/plot_csv.h"
#include "scenarios/sarena.h"
#include "sim/atomicio.h"

const char *plot_strategy_label(enum scenario_strategy s)
{
	return s == SCENARIO_STRATEGY_LIVE_PATCH ? "live patch" : "classic";
}

bool plot_strategy_parse(const char *s, enum scenario_strategy *out)
{
	if (!strcmp(s, "live_patch"))
		*out = SCENARIO_STRATEGY_LIVE_PATCH;
	else if (!strcmp(s, "classic"))
		*out = SCENARIO_STRATEGY_CLASSIC;
	else
		return false;
	return true;
}

const struct output_strategy *plot_summary_strategy(const struct output_summary *sum,
                                                    enum scenario_strategy s)
{
	for (size_t i = 0; i < sum->nstrategies; i++)
		if (sum->strategies[i].strategy == s)
			return &sum->strategies[i];
	return NULL;
}

const struct plot_strategy *plot_run_strategy(const struct plot_run *r, enum scenario_strategy s)
{
	for (size_t i = 0; i < r->nstrategies; i++)
		if (r->st[i].strategy == s)
			return &r->st[i];
	return NULL;
}

/* ---- summary.json ---------------------------------------------------------- */

struct jctx {
	const char *file;
	char *msg;
	size_t msglen;
};

/* A number or null (NaN) at key of o; false with a message otherwise. */
static bool jnum(const struct jctx *c, const json_t *o, const char *path, const char *key,
                 double *out)
{
	const json_t *v = json_object_get(o, key);
	if (v && json_is_number(v)) {
		*out = json_number_value(v);
		return true;
	}
	if (v && json_is_null(v)) {
		*out = NAN;
		return true;
	}
	plot__errf(c->msg, c->msglen, "%s: '%s%s' %s", c->file, path, key,
	     v ? "is not a number" : "is missing");
	return false;
}

static bool jcount(const struct jctx *c, const json_t *o, const char *path, const char *key,
                   size_t *out)
{
	double d;
	if (!jnum(c, o, path, key, &d))
		return false;
	if (!(d >= 0 && d <= 9007199254740992.0) || d != floor(d)) {
		plot__errf(c->msg, c->msglen, "%s: '%s%s' is not a count", c->file, path, key);
		return false;
	}
	*out = (size_t)d;
	return true;
}

static bool jstat(const struct jctx *c, const json_t *o, const char *path, const char *key,
                  struct stat_summary *st)
{
	const json_t *v = json_object_get(o, key);
	if (!v || !json_is_object(v)) {
		plot__errf(c->msg, c->msglen, "%s: '%s%s' %s", c->file, path, key,
		     v ? "is not a statistic object" : "is missing");
		return false;
	}
	char p[256];
	snprintf(p, sizeof(p), "%s%s.", path, key);
	return jcount(c, v, p, "n", &st->n) && jnum(c, v, p, "mean", &st->mean) &&
	       jnum(c, v, p, "sd", &st->sd) && jnum(c, v, p, "ci95_lo", &st->ci95_lo) &&
	       jnum(c, v, p, "ci95_hi", &st->ci95_hi) && jnum(c, v, p, "p50", &st->p50) &&
	       jnum(c, v, p, "p95", &st->p95) && jnum(c, v, p, "p99", &st->p99) &&
	       jnum(c, v, p, "min", &st->min) && jnum(c, v, p, "max", &st->max);
}

static json_t *jobj(const struct jctx *c, const json_t *o, const char *path, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!v || !json_is_object(v)) {
		plot__errf(c->msg, c->msglen, "%s: '%s%s' %s", c->file, path, key,
		     v ? "is not an object" : "is missing");
		return NULL;
	}
	return v;
}

static bool jstrategy(const struct jctx *c, const json_t *o, const char *name,
                      struct output_strategy *s)
{
	char p[64];
	snprintf(p, sizeof(p), "strategies.%s.", name);
	const json_t *dt = jobj(c, o, p, "vm_downtime_s");
	const json_t *h = dt ? jobj(c, o, p, "hosts") : NULL;
	const json_t *v = h ? jobj(c, o, p, "vms") : NULL;
	if (!v)
		return false;
	char pd[96], ph[96], pv[96], pi[112];
	snprintf(pd, sizeof(pd), "%svm_downtime_s.", p);
	snprintf(ph, sizeof(ph), "%shosts.", p);
	snprintf(pv, sizeof(pv), "%svms.", p);
	snprintf(pi, sizeof(pi), "%svms.incompatible.", p);
	const json_t *inc = jobj(c, v, pv, "incompatible");
	if (!inc)
		return false;
	if (!(jstat(c, o, p, "makespan_s", &s->makespan_s) &&
	      jstat(c, o, p, "time_to_compliance_s", &s->time_to_compliance_s) &&
	      jnum(c, o, p, "cluster_compliant_fraction", &s->cluster_compliant_fraction) &&
	      jstat(c, o, p, "exposure_host_hours", &s->exposure_host_hours) &&
	      jstat(c, dt, pd, "total", &s->downtime_total_s) &&
	      jstat(c, dt, pd, "per_vm", &s->downtime_per_vm_s) &&
	      jstat(c, o, p, "stun_s", &s->stun_s) && jstat(c, h, ph, "live", &s->hosts_live) &&
	      jstat(c, h, ph, "classic", &s->hosts_classic) &&
	      jstat(c, h, ph, "failed", &s->hosts_failed) &&
	      jstat(c, h, ph, "blocked", &s->hosts_blocked) &&
	      jstat(c, h, ph, "compliant_at_end", &s->hosts_compliant) &&
	      jstat(c, v, pv, "fsr", &s->vms_fsr) && jstat(c, v, pv, "vmotion", &s->vms_vmotion) &&
	      jstat(c, v, pv, "power_cycle", &s->vms_power_cycle) &&
	      jstat(c, v, pv, "powered_off", &s->vms_powered_off)))
		return false;
	for (unsigned b = 0; b < SCAN_NINCOMPAT; b++)
		if (!jcount(c, inc, pi, scan_incompat_name(1u << b), &s->incompatible[b]))
			return false;
	return jstat(c, o, p, "events", &s->events);
}

/* Fills sum from the parsed document root. 0, -EINVAL or -ENOMEM. */
static int summary_from_json(const struct jctx *c, const json_t *root, struct output_summary *sum)
{
	memset(sum, 0, sizeof(*sum));
	if (!json_is_object(root)) {
		plot__errf(c->msg, c->msglen, "%s: not a summary (the top level is not an object)", c->file);
		return -EINVAL;
	}
	const json_t *sc = jobj(c, root, "", "scenario");
	if (!sc)
		return -EINVAL;
	const json_t *nm = json_object_get(sc, "name"), *fl = json_object_get(sc, "file");
	if (!json_is_string(nm) || !json_is_string(fl)) {
		plot__errf(c->msg, c->msglen, "%s: 'scenario.name' and 'scenario.file' must be strings",
		     c->file);
		return -EINVAL;
	}
	sum->scenario_name = strdup(json_string_value(nm));
	sum->scenario_file = strdup(json_string_value(fl));
	if (!sum->scenario_name || !sum->scenario_file) {
		output_summary_fini(sum);
		return -ENOMEM;
	}
	double seed;
	size_t reps;
	json_t *strategies = jobj(c, root, "", "strategies");
	if (!strategies || !jnum(c, root, "", "seed", &seed) ||
	    !jcount(c, root, "", "replications", &reps))
		goto out_bad;
	sum->seed = isfinite(seed) && seed >= 0 ? (uint64_t)seed : 0;
	if (reps < 1) {
		plot__errf(c->msg, c->msglen, "%s: 'replications' must be at least 1", c->file);
		goto out_bad;
	}
	sum->replications = (long)reps;
	const char *key;
	json_t *val;
	json_object_foreach(strategies, key, val)
	{
		enum scenario_strategy s;
		if (!plot_strategy_parse(key, &s)) {
			plot__errf(c->msg, c->msglen, "%s: unknown strategy 'strategies.%s'", c->file, key);
			goto out_bad;
		}
		if (sum->nstrategies == 2 || !json_is_object(val) ||
		    (sum->nstrategies == 1 && sum->strategies[0].strategy == s)) {
			plot__errf(c->msg, c->msglen, "%s: 'strategies.%s' is repeated or not an object",
			     c->file, key);
			goto out_bad;
		}
		struct output_strategy *os = &sum->strategies[sum->nstrategies++];
		os->strategy = s;
		if (!jstrategy(c, val, key, os))
			goto out_bad;
	}
	if (sum->nstrategies == 0) {
		plot__errf(c->msg, c->msglen, "%s: 'strategies' is empty", c->file);
		goto out_bad;
	}
	const json_t *s0 =
	    json_object_get(strategies, scenario_strategy_name(sum->strategies[0].strategy));
	if (!jcount(c, json_object_get(s0, "hosts"), "strategies.*.hosts.", "total", &sum->hosts) ||
	    !jcount(c, json_object_get(s0, "vms"), "strategies.*.vms.", "total", &sum->vms))
		goto out_bad;
	const json_t *cmp = json_object_get(root, "comparison");
	if (cmp && json_is_object(cmp)) {
		sum->has_comparison = true;
		if (!jstat(c, cmp, "comparison.", "vm_downtime_total_diff_s",
		           &sum->downtime_total_diff_s) ||
		    !jstat(c, cmp, "comparison.", "makespan_diff_s", &sum->makespan_diff_s))
			goto out_bad;
	}
	const json_t *w = json_object_get(root, "wall_s");
	sum->wall_s = w && json_is_number(w) ? json_number_value(w) : (double)NAN;
	return 0;
out_bad:
	output_summary_fini(sum);
	memset(sum, 0, sizeof(*sum));
	return -EINVAL;
}

int plot__summary_from_json(const json_t *root, const char *file, struct output_summary *sum,
                            char *msg, size_t msglen)
{
	struct jctx c = {file, msg, msglen};
	return summary_from_json(&c, root, sum);
}

int plot_summary_parse(const char *text, size_t len, const char *file,
                       struct output_summary *sum, char *msg, size_t msglen)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		plot__errf(msg, msglen, "%s:%d:%d: not valid JSON: %s", file, je.line, je.column, je.text);
		return -EINVAL;
	}
	int rc = plot__summary_from_json(root, file, sum, msg, msglen);
	json_decref(root);
	return rc;
}

void plot__errf(char *msg, size_t len, const char *fmt, ...)
{
	if (!msg || !len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

/* ---- the host table ------------------------------------------------------------ */

/*
 * Open addressing on (cluster, name). A slot keeps the name inline (up to
 * 15 bytes whole, longer ones by their first 15 and a mark) beside the
 * cluster's interned name (a few thousand at most, so in the caches): a
 * lookup, one per row of a fleet's millions of rows, reads no host record
 * or host name string unless the name is long.
 */
#define HKEY_NAME 16

struct hslot {
	uint32_t host1;      /* host index + 1; 0: empty */
	const char *cluster; /* interned */
	char name[HKEY_NAME];
};

struct hmap {
	struct hslot *slot;
	size_t cap; /* power of two */
};

/* The key of (cluster, name): name NUL-padded, or its first 15 bytes and a
 * mark (1) when longer. Returns true when the key is the whole name. */
static bool hkey(const char *name, struct hslot *k)
{
	size_t n = strnlen(name, HKEY_NAME);
	memset(k, 0, sizeof(*k));
	if (n < HKEY_NAME) {
		memcpy(k->name, name, n);
		return true;
	}
	memcpy(k->name, name, HKEY_NAME - 1);
	k->name[HKEY_NAME - 1] = 1;
	return false;
}

static uint64_t hkey_hash(const char *cluster, const struct hslot *k)
{
	uint64_t h = 1469598103934665603ull;
	for (; *cluster; cluster++)
		h = (h ^ (unsigned char)*cluster) * 1099511628211ull;
	for (size_t i = 0; i < HKEY_NAME; i++)
		h = (h ^ (unsigned char)k->name[i]) * 1099511628211ull;
	/* FNV's low bits are poor for names that differ in their last
	 * characters (esx-01, esx-02, ...): mix every bit into them
	 * (MurmurHash3's finalizer), as linear probing takes the low bits. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

/* Finds host (cluster, name) among st's: its index, or -1 (and *slot
 * where it would go, its key in *key, cluster to be set). */
static long hmap_find(const struct hmap *m, const struct plot_strategy *st, const char *cluster,
                      const char *name, size_t *slot, struct hslot *key)
{
	bool whole = hkey(name, key);
	size_t mask = m->cap - 1, i = (size_t)hkey_hash(cluster, key) & mask;
	for (; m->slot[i].host1; i = (i + 1) & mask) {
		const struct hslot *x = &m->slot[i];
		if (memcmp(x->name, key->name, HKEY_NAME) != 0 || strcmp(x->cluster, cluster) != 0)
			continue;
		if (whole || !strcmp(st->hosts[x->host1 - 1].name, name))
			return (long)x->host1 - 1;
	}
	*slot = i;
	return -1;
}

/* ---- loading ------------------------------------------------------------------ */

/* Growable arrays: make room for one more element. */
static int grow(void **v, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 1024;
	void *p = realloc(*v, c * sz);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

/* Per strategy while loading. */
struct load_st {
	struct hmap hosts;
	size_t caphosts, capclusters, capspans, capsteps, caprows, capinc;
	const char *last_cluster; /* interned name of the last cluster seen */
	uint32_t last_cluster_idx;
	long last_rep_steps, last_rep_vms;
};

struct loader {
	struct plot_run *r;
	struct load_st ls[2];
	const char *path; /* the file being read, for messages */
	bool auto_lanes;  /* PLOT_LOAD_AUTO_LANES */
	struct plot_csv *csv;
	char *msg;
	size_t msglen;
};

static int bad(struct loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct loader *L, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	plot__errf(L->msg, L->msglen, "%s:%ld: %s", L->path, plot_csv_line(L->csv), what);
	return -EINVAL;
}

/* The strategy index of a row's strategy field, or -EINVAL. */
static int row_strategy(struct loader *L, const char *s)
{
	enum scenario_strategy k;
	if (plot_strategy_parse(s, &k))
		for (size_t i = 0; i < L->r->nstrategies; i++)
			if (L->r->st[i].strategy == k)
				return (int)i;
	char snip[80];
	snprintf(snip, sizeof(snip), "%.60s", s);
	return bad(L, "strategy '%s' is not one of summary.json's", snip);
}

static int row_rep(struct loader *L, const char *s, long *rep)
{
	if (!plot_csv_count(s, rep) || *rep >= L->r->sum.replications) {
		char snip[80];
		snprintf(snip, sizeof(snip), "%.60s", s);
		return bad(L, "replication '%s' is not one of 0..%ld", snip, L->r->sum.replications - 1);
	}
	return 0;
}

/* The strategy index and replication every row starts with (f[0], f[1]):
 * 0, or the negative errno of a bad one. */
static int row_head(struct loader *L, char **f, int *si, long *rep)
{
	*si = row_strategy(L, f[0]);
	return *si < 0 ? *si : row_rep(L, f[1], rep);
}

static int row_time(struct loader *L, const char *s, bool empty_ok, const char *col, double *out)
{
	if (plot_csv_number(s, empty_ok, out))
		return 0;
	char snip[80];
	snprintf(snip, sizeof(snip), "%.60s", s);
	return bad(L, "'%s' is not a number: '%s'", col, snip);
}

/* Interns a cluster name of strategy si; sets *idx. */
static int intern_cluster(struct loader *L, int si, const char *name, uint32_t *idx,
                          const char **interned)
{
	struct plot_strategy *st = &L->r->st[si];
	struct load_st *ls = &L->ls[si];
	if (ls->last_cluster && !strcmp(ls->last_cluster, name)) {
		*idx = ls->last_cluster_idx;
		*interned = ls->last_cluster;
		return 0;
	}
	/* Clusters are contiguous in the files; a linear search from the end is rare. */
	for (size_t i = st->nclusters; i-- > 0;)
		if (!strcmp(st->clusters[i], name)) {
			*idx = (uint32_t)i;
			*interned = st->clusters[i];
			goto out;
		}
	if (grow((void **)&st->clusters, st->nclusters, &ls->capclusters, sizeof(char *)) < 0)
		return -ENOMEM;
	char *c = sarena_strdup(L->r->arena, name);
	if (!c)
		return -ENOMEM;
	st->clusters[st->nclusters] = c;
	*idx = (uint32_t)st->nclusters++;
	*interned = c;
out:
	ls->last_cluster = *interned;
	ls->last_cluster_idx = *idx;
	return 0;
}

/* Finds or adds host (cluster, name) of strategy si. Returns its index or a negative errno. */
static long host_index(struct loader *L, int si, const char *cluster, const char *name, bool *added)
{
	struct plot_strategy *st = &L->r->st[si];
	struct load_st *ls = &L->ls[si];
	*added = false;
	if ((st->nhosts + 1) * 2 > ls->hosts.cap) {
		size_t ncap = ls->hosts.cap ? ls->hosts.cap * 2 : 1024;
		struct hslot *ns = calloc(ncap, sizeof(*ns));
		if (!ns)
			return -ENOMEM;
		free(ls->hosts.slot);
		ls->hosts.slot = ns;
		ls->hosts.cap = ncap;
		for (size_t h = 0; h < st->nhosts; h++) {
			size_t slot;
			struct hslot key;
			hmap_find(&ls->hosts, st, st->hosts[h].cluster, st->hosts[h].name, &slot, &key);
			key.host1 = (uint32_t)h + 1;
			key.cluster = st->hosts[h].cluster;
			ls->hosts.slot[slot] = key;
		}
	}
	size_t slot;
	struct hslot key;
	long h = hmap_find(&ls->hosts, st, cluster, name, &slot, &key);
	if (h >= 0)
		return h;
	if (st->nhosts >= UINT32_MAX - 1)
		return bad(L, "too many hosts");
	if (grow((void **)&st->hosts, st->nhosts, &ls->caphosts, sizeof(*st->hosts)) < 0)
		return -ENOMEM;
	struct plot_host *x = &st->hosts[st->nhosts];
	memset(x, 0, sizeof(*x));
	if (intern_cluster(L, si, cluster, &x->cluster_idx, &x->cluster) < 0)
		return -ENOMEM;
	x->name = sarena_strdup(L->r->arena, name);
	if (!x->name)
		return -ENOMEM;
	x->path = REC_PATH_NONE;
	x->outcome = REC_NON_COMPLIANT;
	x->start_s = x->end_s = x->compliant_at_s = NAN;
	key.host1 = (uint32_t)st->nhosts + 1;
	key.cluster = x->cluster;
	ls->hosts.slot[slot] = key;
	*added = true;
	return (long)st->nhosts++;
}

static int name_index(const char *s, const char *(*name)(int), int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, name(i)))
			return i;
	return -1;
}

static const char *path_nm(int i) { return rec_path_name((enum rec_path)i); }
static const char *outcome_nm(int i) { return rec_outcome_name((enum rec_outcome)i); }
static const char *rem_nm(int i) { return rec_remediation_name((enum rec_remediation)i); }
static const char *state_nm(int i) { return rec_state_name((enum rec_state)i); }

/* Opens DIR/name and checks its header. 1 opened, 0 absent, or a negative errno. */
static int open_csv(struct loader *L, const char *name, const char *header, char *pathbuf,
                    size_t pathlen, int *nfields)
{
	snprintf(pathbuf, pathlen, "%s/%s", L->r->dir, name);
	L->path = pathbuf;
	L->csv = plot_csv_open(pathbuf);
	if (!L->csv) {
		if (errno == ENOENT)
			return 0;
		int e = errno;
		plot__errf(L->msg, L->msglen, "%s: %s", pathbuf, strerror(e));
		return -e;
	}
	char **f;
	int n = plot_csv_read(L->csv, &f);
	if (n == 0)
		return bad(L, "empty file (want the header '%s')", header);
	if (n < 0)
		return n == -EINVAL ? bad(L, "%s", plot_csv_error(L->csv)) : n;
	char got[1024] = "";
	size_t k = 0;
	for (int i = 0; i < n && k < sizeof(got) - 2; i++)
		k += (size_t)snprintf(got + k, sizeof(got) - k, "%s%s", i ? "," : "", f[i]);
	if (strncmp(got, header, strlen(header)) ||
	    (got[strlen(header)] != '\0' && got[strlen(header)] != ',')) {
		char snip[80];
		snprintf(snip, sizeof(snip), "%.60s", got);
		return bad(L, "unexpected header '%s' (want '%s')", snip, header);
	}
	*nfields = 1;
	for (const char *p = header; *p; p++)
		*nfields += *p == ',';
	return 1;
}

/* Reads the next row; n = its fields, which must be at least want. 1 row, 0 EOF, <0 error. */
static int next_row(struct loader *L, int want, char ***f)
{
	int n = plot_csv_read(L->csv, f);
	if (n == 0)
		return 0;
	if (n == -EINVAL)
		return bad(L, "%s", plot_csv_error(L->csv));
	if (n < 0) {
		plot__errf(L->msg, L->msglen, "%s: %s", L->path, strerror(-n));
		return n;
	}
	if (n < want)
		return bad(L, "%d fields, want %d", n, want);
	return 1;
}

/*
 * The rows of each file, one call per row after its strategy index si and
 * replication rep were checked (row_head): 0, or a negative errno.
 */

static int hosts_row(struct loader *L, char **f, int si, long rep)
{
	if (rep != L->r->rep)
		return 0;
	bool added;
	long h = host_index(L, si, f[2], f[3], &added);
	if (h < 0)
		return (int)h;
	if (!added)
		return bad(L, "host '%s' of cluster '%s' appears twice", f[3], f[2]);
	struct plot_host *x = &L->r->st[si].hosts[h];
	int p = name_index(f[4], path_nm, 3), o = name_index(f[8], outcome_nm, 5);
	long att;
	int rc;
	if (p < 0)
		return bad(L, "unknown path '%.40s' (want live, classic or none)", f[4]);
	if (o < 0)
		return bad(L, "unknown outcome '%.40s'", f[8]);
	if (!plot_csv_count(f[9], &att) || att > UINT16_MAX)
		return bad(L, "'attempts' is not a count: '%.40s'", f[9]);
	if ((rc = row_time(L, f[5], true, "start_s", &x->start_s)) < 0 ||
	    (rc = row_time(L, f[6], true, "end_s", &x->end_s)) < 0 ||
	    (rc = row_time(L, f[7], true, "compliant_at_s", &x->compliant_at_s)) < 0)
		return rc;
	x->path = (uint8_t)p;
	x->outcome = (uint8_t)o;
	x->attempts = (uint16_t)att;
	return 0;
}

static int timeline_row(struct loader *L, char **f, int si, long rep)
{
	if (rep != L->r->rep)
		return 0;
	bool added;
	long h = host_index(L, si, f[2], f[3], &added);
	if (h < 0)
		return (int)h;
	int s = name_index(f[4], state_nm, REC_ST_N);
	if (s < 0)
		return bad(L, "unknown state '%.40s'", f[4]);
	double a, b;
	int rc;
	if ((rc = row_time(L, f[5], false, "start_s", &a)) < 0 ||
	    (rc = row_time(L, f[6], false, "end_s", &b)) < 0)
		return rc;
	if (b < a)
		return bad(L, "the span ends (%s) before it starts (%s)", f[6], f[5]);
	struct plot_strategy *st = &L->r->st[si];
	if (grow((void **)&st->spans, st->nspans, &L->ls[si].capspans, sizeof(*st->spans)) < 0)
		return -ENOMEM;
	st->spans[st->nspans++] = (struct plot_span){(uint32_t)h, (uint8_t)s, a, b};
	return 0;
}

static int compliance_row(struct loader *L, char **f, int si, long rep)
{
	long c, t;
	double ts;
	int rc = row_time(L, f[2], false, "t_s", &ts);
	if (rc < 0)
		return rc;
	if (!plot_csv_count(f[3], &c) || !plot_csv_count(f[4], &t) || c > t || t > UINT32_MAX)
		return bad(L, "bad host counts '%.30s' of '%.30s'", f[3], f[4]);
	struct plot_strategy *st = &L->r->st[si];
	struct load_st *ls = &L->ls[si];
	if (st->nsteps && st->steps[st->nsteps - 1].rep == (uint32_t)rep &&
	    st->steps[st->nsteps - 1].t_s > ts)
		return bad(L, "time goes backwards within replication %ld", rep);
	if (rep != ls->last_rep_steps) {
		st->compliance_reps++;
		ls->last_rep_steps = rep;
	}
	if (grow((void **)&st->steps, st->nsteps, &ls->capsteps, sizeof(*st->steps)) < 0)
		return -ENOMEM;
	st->steps[st->nsteps++] = (struct plot_step){(uint32_t)rep, (uint32_t)c, (uint32_t)t, ts};
	return 0;
}

/* Parses "ft+shared_disk" into scan_incompat bits. */
static bool parse_incompat(const char *s, uint8_t *bits)
{
	*bits = 0;
	while (*s) {
		const char *e = strchr(s, '+');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		unsigned b = 0;
		for (; b < SCAN_NINCOMPAT; b++) {
			const char *nm = scan_incompat_name(1u << b);
			if (strlen(nm) == n && !strncmp(nm, s, n))
				break;
		}
		if (b == SCAN_NINCOMPAT)
			return false;
		*bits |= (uint8_t)(1u << b);
		s += n + (e ? 1 : 0);
		if (e && !*s)
			return false;
	}
	return true;
}

static int vms_row(struct loader *L, char **f, int si, long rep)
{
	double dt, stun;
	int rc;
	if ((rc = row_time(L, f[6], false, "downtime_s", &dt)) < 0 ||
	    (rc = row_time(L, f[7], false, "stun_s", &stun)) < 0)
		return rc;
	if (dt < 0 || stun < 0)
		return bad(L, "a negative downtime or stun");
	int m = name_index(f[8], rem_nm, 6);
	uint8_t inc;
	if (m < 0)
		return bad(L, "unknown remediation '%.40s'", f[8]);
	if (!parse_incompat(f[9], &inc))
		return bad(L, "unknown incompatibility '%.60s'", f[9]);
	struct plot_strategy *st = &L->r->st[si];
	struct load_st *ls = &L->ls[si];
	if (st->nvmrows == ls->caprows) {
		size_t c = ls->caprows ? ls->caprows * 2 : 4096;
		float *d = realloc(st->downtime_s, c * sizeof(float));
		if (d)
			st->downtime_s = d;
		uint8_t *k = d ? realloc(st->remediation, c) : NULL;
		if (!k)
			return -ENOMEM;
		st->remediation = k;
		ls->caprows = c;
	}
	st->downtime_s[st->nvmrows] = (float)dt;
	st->remediation[st->nvmrows++] = (uint8_t)m;
	if (rep != ls->last_rep_vms) {
		st->vm_reps++;
		ls->last_rep_vms = rep;
	}
	if (rep != L->r->rep)
		return 0;
	st->vms_per_rep++;
	long h = -1;
	bool counted = !L->auto_lanes || st->nhosts <= PLOT_HOST_LANES_MAX;
	if (f[4][0] && ls->hosts.cap && (counted || inc)) {
		size_t slot;
		struct hslot key;
		h = hmap_find(&ls->hosts, st, f[2], f[4], &slot, &key);
	}
	if (h >= 0) {
		struct plot_host *x = &st->hosts[h];
		x->fsr += m == REC_REM_FSR;
		x->vmotion += m == REC_REM_VMOTION;
		x->manual += inc != 0;
	}
	if (!inc)
		return 0;
	if (grow((void **)&st->incompat, st->nincompat, &ls->capinc, sizeof(*st->incompat)) < 0)
		return -ENOMEM;
	char *nm = sarena_strdup(L->r->arena, f[3]);
	if (!nm)
		return -ENOMEM;
	st->incompat[st->nincompat++] = (struct plot_vm){nm, (int32_t)h, inc, (uint8_t)m, dt, stun};
	return 0;
}

/*
 * The CSV files, in the order they are read: hosts before timeline and
 * vms, which look hosts up. The headers are the writer's (sim/output.h).
 */
static const struct csv_file {
	unsigned bit; /* enum plot_file */
	const char *name;
	const char *header;
	int (*row)(struct loader *L, char **f, int si, long rep);
} csv_files[] = {
    {PLOT_FILE_HOSTS, "hosts.csv", OUTPUT_HOSTS_CSV_HEADER, hosts_row},
    {PLOT_FILE_TIMELINE, "timeline.csv", OUTPUT_TIMELINE_CSV_HEADER, timeline_row},
    {PLOT_FILE_COMPLIANCE, "compliance.csv", OUTPUT_COMPLIANCE_CSV_HEADER, compliance_row},
    {PLOT_FILE_VMS, "vms.csv", OUTPUT_VMS_CSV_HEADER, vms_row},
};

#define NCSV_FILES (sizeof(csv_files) / sizeof(csv_files[0]))

const char *plot_file_name(enum plot_file bit)
{
	for (size_t i = 0; i < NCSV_FILES; i++)
		if (bit == csv_files[i].bit)
			return csv_files[i].name;
	return NULL;
}

/* Reads file cf row by row and sets its bit in have; an absent file is no error.
 * 0 or a negative errno. */
static int load_csv(struct loader *L, const struct csv_file *cf)
{
	char path[4096];
	int nf = 0;
	int rc = open_csv(L, cf->name, cf->header, path, sizeof(path), &nf);
	if (rc <= 0)
		return rc;
	char **f;
	while ((rc = next_row(L, nf, &f)) > 0) {
		int si = 0;
		long rep = 0;
		if ((rc = row_head(L, f, &si, &rep)) < 0 || (rc = cf->row(L, f, si, rep)) < 0)
			return rc;
	}
	if (rc == 0)
		L->r->have |= cf->bit;
	return rc;
}

void plot_run_free(struct plot_run *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < 2; i++) {
		struct plot_strategy *st = &r->st[i];
		free(st->hosts);
		free(st->clusters);
		free(st->spans);
		free(st->steps);
		free(st->downtime_s);
		free(st->remediation);
		free(st->incompat);
	}
	output_summary_fini(&r->sum);
	sarena_free(r->arena);
	free(r->dir);
	free(r);
}

int plot_run_load(const char *dir, unsigned want, long rep, struct plot_run **out, char *msg,
                  size_t msglen)
{
	struct stat sb;
	if (stat(dir, &sb) < 0) {
		int e = errno;
		plot__errf(msg, msglen, "%s: %s", dir, strerror(e));
		return -e;
	}
	if (!S_ISDIR(sb.st_mode)) {
		plot__errf(msg, msglen, "%s: not a directory (want a run directory)", dir);
		return -ENOTDIR;
	}
	struct plot_run *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->dir = strdup(dir);
	r->arena = sarena_new();
	if (!r->dir || !r->arena) {
		plot_run_free(r);
		return -ENOMEM;
	}
	size_t dl = strlen(r->dir);
	while (dl > 1 && r->dir[dl - 1] == '/')
		r->dir[--dl] = '\0';
	char path[4096];
	snprintf(path, sizeof(path), "%s/summary.json", r->dir);
	char *text = NULL;
	size_t len = 0;
	int rc = atomicio_read_file(path, &text, &len, PLOT_JSON_MAX_BYTES);
	if (rc < 0) {
		if (rc == -ENOENT)
			plot__errf(msg, msglen, "%s: no summary.json: not a run directory", r->dir);
		else
			plot__errf(msg, msglen, "%s: %s", path, strerror(-rc));
		goto out_free;
	}
	rc = plot_summary_parse(text, len, path, &r->sum, msg, msglen);
	free(text);
	if (rc < 0)
		goto out_free;
	if (rep < 0 || rep >= r->sum.replications) {
		plot__errf(msg, msglen, "%s: replication %ld is not one of 0..%ld", r->dir, rep,
		     r->sum.replications - 1);
		rc = -EINVAL;
		goto out_free;
	}
	r->rep = rep;
	r->nstrategies = r->sum.nstrategies;
	for (size_t i = 0; i < r->nstrategies; i++)
		r->st[i].strategy = r->sum.strategies[i].strategy;
	struct loader L = {.r = r, .msg = msg, .msglen = msglen,
	                   .auto_lanes = (want & PLOT_LOAD_AUTO_LANES) != 0};
	L.ls[0].last_rep_steps = L.ls[1].last_rep_steps = -1;
	L.ls[0].last_rep_vms = L.ls[1].last_rep_vms = -1;
	if (want & PLOT_FILE_TIMELINE)
		want |= PLOT_FILE_HOSTS;
	for (size_t i = 0; i < NCSV_FILES && rc == 0; i++) {
		if (!(want & csv_files[i].bit))
			continue;
		rc = load_csv(&L, &csv_files[i]);
		plot_csv_close(L.csv);
		L.csv = NULL;
	}
	free(L.ls[0].hosts.slot);
	free(L.ls[1].hosts.slot);
	if (rc == -ENOMEM)
		plot__errf(msg, msglen, "out of memory reading %s", r->dir);
	if (rc < 0)
		goto out_free;
	*out = r;
	return 0;
out_free:
	plot_run_free(r);
	return rc;
}
