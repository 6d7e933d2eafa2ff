/*
 * import_estate: the imported inventory and its writing as a scenario
 * (the rules are in import_estate.h).
 *
 * Writing works cluster by cluster on index arrays: names are mapped and
 * made unique, inferred hosts sized, cpu_overcommit chosen, then the
 * placement of models/estate.c is replayed on the exact values the loader
 * will read (every number is formatted first and read back), so that
 * every pin written has room and every VM written with count 1 fits.
 * A placement attempt that fails changes nothing (the loader never makes
 * it), so the free capacities stay bit-identical to the loader's.
 */
#include "scenarios/import_estate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/import_csv.h"
#include "scenarios/import_map.h"
#include "scenarios/sarena.h"

#define NAME_BUF (SCENARIO_MAX_NAME_LEN + 1)

/* ---- the estate ------------------------------------------------------------ */

struct iestate *iestate_new(void)
{
	struct iestate *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->arena = sarena_new();
	if (!e->arena) {
		free(e);
		return NULL;
	}
	return e;
}

void iestate_free(struct iestate *e)
{
	if (!e)
		return;
	free(e->clusters);
	free(e->hosts);
	free(e->vms);
	sarena_free(e->arena);
	free(e);
}

const char *iestate_strdup(struct iestate *e, const char *s)
{
	return sarena_strdup(e->arena, s);
}

/* Makes room for one more item of size bytes in *v (n used, *cap allocated). */
static int grow(void **v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 64;
	void *p = realloc(*v, c * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

long iestate_add_cluster(struct iestate *e, const struct iestate_cluster *c)
{
	if (grow((void **)&e->clusters, e->nclusters, &e->cap_clusters, sizeof(*c)))
		return -ENOMEM;
	e->clusters[e->nclusters] = *c;
	return (long)e->nclusters++;
}

long iestate_add_host(struct iestate *e, const struct iestate_host *h)
{
	if (grow((void **)&e->hosts, e->nhosts, &e->cap_hosts, sizeof(*h)))
		return -ENOMEM;
	e->hosts[e->nhosts] = *h;
	return (long)e->nhosts++;
}

long iestate_add_vm(struct iestate *e, const struct iestate_vm *v)
{
	if (grow((void **)&e->vms, e->nvms, &e->cap_vms, sizeof(*v)))
		return -ENOMEM;
	e->vms[e->nvms] = *v;
	return (long)e->nvms++;
}

/* ---- text ------------------------------------------------------------------ */

/* Code points that neither YAML's reader nor the format's names accept, wherever they are. */
static bool cp_unprintable(unsigned cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0xfeff || cp == 0xfffe || cp == 0xffff;
}

static bool cp_bad_in_name(unsigned cp)
{
	return cp_unprintable(cp) || cp == '/' || cp == ',' || cp == '"' || cp == '[' || cp == ']';
}

bool iestate_map_name(const char *in, char *out, size_t max)
{
	if (max > SCENARIO_MAX_NAME_LEN)
		max = SCENARIO_MAX_NAME_LEN;
	const char *p = in, *end = in + strlen(in);
	size_t o = 0;
	bool changed = false;
	while (*p) {
		unsigned cp;
		size_t n = icsv_utf8_char(p, (size_t)(end - p), &cp);
		const char *src = p;
		size_t k = n;
		if (!n || cp_bad_in_name(cp)) {
			src = "_";
			k = 1;
			changed = true;
		}
		if (o + k > max) {
			changed = true;
			break;
		}
		memcpy(out + o, src, k);
		o += k;
		p += n ? n : 1;
	}
	if (o == 0) {
		static const char unnamed[] = "unnamed";
		o = sizeof(unnamed) - 1 < max ? sizeof(unnamed) - 1 : max;
		memcpy(out, unnamed, o);
		changed = true;
	}
	out[o] = '\0';
	return changed;
}

/* Writes s for a comment: every character YAML would not take, or not valid UTF-8, as '?'. */
static void put_comment(FILE *f, const char *s)
{
	const char *p = s, *end = s + strlen(s);
	while (*p) {
		unsigned cp;
		size_t n = icsv_utf8_char(p, (size_t)(end - p), &cp);
		if (!n || cp_unprintable(cp)) {
			putc('?', f);
			p += n ? n : 1;
		} else {
			fwrite(p, 1, n, f);
			p += n;
		}
	}
}

/*
 * Writes s double-quoted. pattern: a name pattern, '%' doubled. s holds
 * no unprintable character (names are mapped, other text is sanitized);
 * a control byte would still be escaped.
 */
static void put_quoted(FILE *f, const char *s, bool pattern)
{
	putc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\' || *p == '"')
			fprintf(f, "\\%c", *p);
		else if (*p == '%' && pattern)
			fputs("%%", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			putc(*p, f);
	}
	putc('"', f);
}

/* A copy of s with every unprintable character as '?' (for quoted free text). */
static char *sanitized(struct sarena *a, const char *s)
{
	size_t len = strlen(s);
	char *out = sarena_alloc(a, len + 1);
	if (!out)
		return NULL;
	const char *p = s, *end = s + len;
	size_t o = 0;
	while (*p) {
		unsigned cp;
		size_t n = icsv_utf8_char(p, (size_t)(end - p), &cp);
		if (!n || cp_unprintable(cp)) {
			out[o++] = '?';
			p += n ? n : 1;
		} else {
			memcpy(out + o, p, n);
			o += n;
			p += n;
		}
	}
	out[o] = '\0';
	return out;
}

/*
 * Formats a size as the loader will read it: a decimal with at most 10
 * places, trailing zeros dropped (exact for MiB / 1024). Returns the
 * value strtod gives back for the text, the one the loader uses.
 */
static double fmt_size(double v, char *buf, size_t size)
{
	snprintf(buf, size, "%.10f", v);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *end = buf + strlen(buf);
		while (end > dot + 1 && end[-1] == '0')
			end--;
		if (end == dot + 1)
			end = dot;
		*end = '\0';
	}
	return strtod(buf, NULL);
}

/* ---- writing ----------------------------------------------------------------- */

/* Placement groups, in the order they are written. */
enum vm_group {
	G_ON_PINNED,
	G_ON_FREE,
	G_NOWHERE, /* powered on, fits on no host */
	G_OFF,     /* powered off or suspended: count 0 */
	G_N,
};

/* The state of one writing. */
struct writer {
	const struct iestate *e;
	const struct iestate_meta *m;
	struct ilog *log;
	struct sarena *a;   /* everything below */
	const char **cname; /* per cluster: unique name, NULL when not written */
	bool *crenamed;
	bool *cdup; /* per cluster: renamed because an earlier cluster has its name */
	const char **hname; /* per host */
	bool *hrenamed;
	const char **vname; /* per VM */
	bool *vrenamed;
	size_t *host_order; /* hosts grouped by cluster, export order kept */
	size_t *host0;      /* per cluster + 1: its hosts in host_order */
	size_t *vm_order;
	size_t *vm0;
	/* per host, during one cluster */
	double *free_mem;
	double *free_cpu;
	double *mem_load;
	long *cpu_load;
	/* per VM */
	unsigned char *group;
	struct iestate_stats st;
	/* examples for the warnings */
	const char *ex_unpinned_vm;
	const char *ex_unpinned_host;
	long unpinned;
	const char *ex_nowhere;
	const char *ex_nowhere_cluster;
	const char *ex_renamed;
	long inferred_hosts;
	long unknown_versions;
	bool oom; /* a string could not be made: the writing fails */
};

/* sanitized(s) in w's arena; "?" and w->oom when memory runs out. */
static const char *san(struct writer *w, const char *s)
{
	const char *r = sanitized(w->a, s);
	if (!r)
		w->oom = true;
	return r ? r : "?";
}

static int writer_alloc(struct writer *w)
{
	const struct iestate *e = w->e;
	size_t nc = e->nclusters, nh = e->nhosts, nv = e->nvms;
	w->a = sarena_new();
	if (!w->a)
		return -ENOMEM;
	w->cname = sarena_array(w->a, nc + 1, sizeof(char *));
	w->crenamed = sarena_array(w->a, nc + 1, sizeof(bool));
	w->cdup = sarena_array(w->a, nc + 1, sizeof(bool));
	w->hname = sarena_array(w->a, nh + 1, sizeof(char *));
	w->hrenamed = sarena_array(w->a, nh + 1, sizeof(bool));
	w->vname = sarena_array(w->a, nv + 1, sizeof(char *));
	w->vrenamed = sarena_array(w->a, nv + 1, sizeof(bool));
	w->host_order = sarena_array(w->a, nh + 1, sizeof(size_t));
	w->host0 = sarena_array(w->a, nc + 2, sizeof(size_t));
	w->vm_order = sarena_array(w->a, nv + 1, sizeof(size_t));
	w->vm0 = sarena_array(w->a, nc + 2, sizeof(size_t));
	w->free_mem = sarena_array(w->a, nh + 1, sizeof(double));
	w->free_cpu = sarena_array(w->a, nh + 1, sizeof(double));
	w->mem_load = sarena_array(w->a, nh + 1, sizeof(double));
	w->cpu_load = sarena_array(w->a, nh + 1, sizeof(long));
	w->group = sarena_array(w->a, nv + 1, 1);
	if (!w->cname || !w->crenamed || !w->cdup || !w->hname || !w->hrenamed || !w->vname || !w->vrenamed ||
	    !w->host_order || !w->host0 || !w->vm_order || !w->vm0 || !w->free_mem ||
	    !w->free_cpu || !w->mem_load || !w->cpu_load || !w->group)
		return -ENOMEM;
	/* Counting sort by cluster, stable. */
	for (size_t h = 0; h < nh; h++)
		w->host0[e->hosts[h].cluster + 1]++;
	for (size_t v = 0; v < nv; v++)
		w->vm0[e->vms[v].cluster + 1]++;
	for (size_t c = 0; c < nc; c++) {
		w->host0[c + 1] += w->host0[c];
		w->vm0[c + 1] += w->vm0[c];
	}
	size_t *fill = calloc(nc + 1, sizeof(size_t));
	if (!fill)
		return -ENOMEM;
	for (size_t h = 0; h < nh; h++) {
		size_t c = e->hosts[h].cluster;
		w->host_order[w->host0[c] + fill[c]++] = h;
	}
	memset(fill, 0, (nc + 1) * sizeof(size_t));
	for (size_t v = 0; v < nv; v++) {
		size_t c = e->vms[v].cluster;
		w->vm_order[w->vm0[c] + fill[c]++] = v;
	}
	free(fill);
	return 0;
}

/*
 * A unique name for in within taken: its mapped form, or that cut with
 * "~2", "~3", ... Sets *renamed when it differs from in, and then counts
 * it for the warning (in is its example when it is the first); sets *dup
 * (may be NULL) when the mapped name was taken. Returns the name (in w's
 * arena) or NULL when memory runs out.
 */
static const char *unique_name(struct writer *w, struct imap *taken, const char *in, bool *renamed,
                               bool *dup)
{
	char buf[NAME_BUF];
	*renamed = iestate_map_name(in, buf, SCENARIO_MAX_NAME_LEN);
	if (dup)
		*dup = imap_get(taken, buf) >= 0;
	if (imap_get(taken, buf) >= 0) {
		char base[NAME_BUF];
		memcpy(base, buf, sizeof(buf));
		for (long k = 2;; k++) {
			char suffix[24];
			int sl = snprintf(suffix, sizeof(suffix), "~%ld", k);
			size_t keep = strlen(base);
			if (keep + (size_t)sl > SCENARIO_MAX_NAME_LEN) {
				keep = SCENARIO_MAX_NAME_LEN - (size_t)sl;
				while (keep > 0 && ((unsigned char)base[keep] & 0xc0) == 0x80)
					keep--;
			}
			memcpy(buf, base, keep);
			memcpy(buf + keep, suffix, (size_t)sl + 1);
			if (imap_get(taken, buf) < 0)
				break;
		}
		*renamed = true;
	}
	const char *name = imap_put(taken, buf, 1) < 0 ? NULL : sarena_strdup(w->a, buf);
	if (name && *renamed) {
		w->st.renamed++;
		if (!w->ex_renamed)
			w->ex_renamed = in;
	}
	return name;
}

/* Names of the clusters that have hosts (unique across the scenario). */
static int name_clusters(struct writer *w)
{
	const struct iestate *e = w->e;
	struct imap *taken = imap_new();
	if (!taken)
		return -ENOMEM;
	int rc = 0;
	for (size_t c = 0; c < e->nclusters; c++) {
		size_t nh = w->host0[c + 1] - w->host0[c];
		size_t nv = w->vm0[c + 1] - w->vm0[c];
		if (nh == 0) {
			if (nv > 0) {
				w->st.vms_dropped += (long)nv;
				ilog_warn(
				    w->log,
				    "cluster '%s' has no host in the export: its %zu VM%s left "
				    "out",
				    san(w, e->clusters[c].name), nv, nv == 1 ? " is" : "s are");
			}
			continue;
		}
		w->cname[c] = unique_name(w, taken, e->clusters[c].name, &w->crenamed[c], &w->cdup[c]);
		if (!w->cname[c]) {
			rc = -ENOMEM;
			break;
		}
		w->st.clusters++;
	}
	imap_free(taken);
	return rc;
}

/* Host and VM names of cluster c, unique within it. */
static int name_members(struct writer *w, size_t c)
{
	const struct iestate *e = w->e;
	struct imap *hosts = imap_new(), *vms = imap_new();
	int rc = -ENOMEM;
	if (!hosts || !vms)
		goto out_free_maps;
	for (size_t i = w->host0[c]; i < w->host0[c + 1]; i++) {
		size_t h = w->host_order[i];
		w->hname[h] = unique_name(w, hosts, e->hosts[h].name, &w->hrenamed[h], NULL);
		if (!w->hname[h])
			goto out_free_maps;
	}
	for (size_t i = w->vm0[c]; i < w->vm0[c + 1]; i++) {
		size_t v = w->vm_order[i];
		w->vname[v] = unique_name(w, vms, e->vms[v].name, &w->vrenamed[v], NULL);
		if (!w->vname[v])
			goto out_free_maps;
	}
	rc = 0;
out_free_maps:
	imap_free(hosts);
	imap_free(vms);
	return rc;
}

/* The host a VM's export names, when it is one of its cluster's; else -1. */
static long export_host(const struct iestate *e, size_t v)
{
	long h = e->vms[v].host;
	if (h < 0 || (size_t)h >= e->nhosts || e->hosts[h].cluster != e->vms[v].cluster)
		return -1;
	return h;
}

/* Sizes and overcommit of one cluster, as written. */
struct csize {
	int infer_cores;   /* cores of its inferred hosts */
	double infer_mem;  /* GB of its inferred hosts */
	double overcommit; /* as read back */
	char overcommit_txt[32];
	double ratio;    /* the export's highest vCPUs per core */
	long ratio_host; /* on this host */
};

static int host_cores(const struct iestate *e, const struct csize *cs, size_t h)
{
	return e->hosts[h].inferred ? cs->infer_cores : e->hosts[h].cores;
}

/* memory_gb of host h as text, and the value the loader reads. */
static double host_mem(const struct iestate *e, const struct csize *cs, size_t h, char *buf,
                       size_t size)
{
	return fmt_size(e->hosts[h].inferred ? cs->infer_mem : e->hosts[h].memory_gb, buf, size);
}

static void size_cluster(struct writer *w, size_t c, struct csize *cs)
{
	const struct iestate *e = w->e;
	for (size_t i = w->host0[c]; i < w->host0[c + 1]; i++) {
		size_t h = w->host_order[i];
		w->mem_load[h] = 0;
		w->cpu_load[h] = 0;
	}
	for (size_t i = w->vm0[c]; i < w->vm0[c + 1]; i++) {
		size_t v = w->vm_order[i];
		long h = export_host(e, v);
		if (h < 0 || e->vms[v].power != SCENARIO_POWER_ON)
			continue;
		w->mem_load[h] += e->vms[v].memory_gb;
		w->cpu_load[h] += e->vms[v].vcpus;
	}
	double max_mem = 0;
	long max_cpu = 0;
	for (size_t i = w->host0[c]; i < w->host0[c + 1]; i++) {
		size_t h = w->host_order[i];
		if (!e->hosts[h].inferred)
			continue;
		w->inferred_hosts++;
		if (w->mem_load[h] > max_mem)
			max_mem = w->mem_load[h];
		if (w->cpu_load[h] > max_cpu)
			max_cpu = w->cpu_load[h];
	}
	double mem = ceil(max_mem * IESTATE_INFER_HEADROOM / IESTATE_INFER_MEM_STEP) *
	             IESTATE_INFER_MEM_STEP;
	cs->infer_mem = mem < IESTATE_INFER_MEM_STEP   ? IESTATE_INFER_MEM_STEP
	                : mem > SCENARIO_MAX_MEMORY_GB ? SCENARIO_MAX_MEMORY_GB
	                                               : mem;
	double cores = ceil((double)max_cpu * IESTATE_INFER_HEADROOM / IESTATE_CPU_OVERCOMMIT /
	                    IESTATE_INFER_CORE_STEP) *
	               IESTATE_INFER_CORE_STEP;
	cs->infer_cores = cores < IESTATE_INFER_CORE_STEP ? IESTATE_INFER_CORE_STEP
	                  : cores > SCENARIO_MAX_CORES    ? SCENARIO_MAX_CORES
	                                                  : (int)cores;
	cs->ratio = 0;
	cs->ratio_host = -1;
	for (size_t i = w->host0[c]; i < w->host0[c + 1]; i++) {
		size_t h = w->host_order[i];
		double r = (double)w->cpu_load[h] / host_cores(e, cs, h);
		if (!e->hosts[h].inferred && e->hosts[h].vcpus_per_core > r)
			r = e->hosts[h].vcpus_per_core;
		if (r > cs->ratio) {
			cs->ratio = r;
			cs->ratio_host = (long)h;
		}
	}
	double oc = IESTATE_CPU_OVERCOMMIT;
	if (cs->ratio > IESTATE_CPU_OVERCOMMIT) {
		oc = ceil(cs->ratio / IESTATE_CPU_OVERCOMMIT_STEP) * IESTATE_CPU_OVERCOMMIT_STEP;
		if (oc > SCENARIO_MAX_CPU_OVERCOMMIT)
			oc = SCENARIO_MAX_CPU_OVERCOMMIT;
		w->st.clusters_raised++;
	}
	snprintf(cs->overcommit_txt, sizeof(cs->overcommit_txt), "%.1f", oc);
	cs->overcommit = strtod(cs->overcommit_txt, NULL);
}

/* ---- placement, as models/estate.c does it ------------------------------------ */

/* Whether a VM of mem GB (as the loader reads it) and vcpus has room on host h. */
static bool fits(const struct writer *w, long h, double mem, int vcpus)
{
	return !(w->free_mem[h] < mem || w->free_cpu[h] < vcpus);
}

/* The host with the most free memory where vm fits, other than except; ties to the earliest. */
static long best_host(const struct writer *w, size_t c, double mem, int vcpus, long except)
{
	long best = -1;
	for (size_t i = w->host0[c]; i < w->host0[c + 1]; i++) {
		size_t h = w->host_order[i];
		if ((long)h == except || !fits(w, (long)h, mem, vcpus))
			continue;
		if (best < 0 || w->free_mem[h] > w->free_mem[best])
			best = (long)h;
	}
	return best;
}

static void take(struct writer *w, long h, double mem, int vcpus)
{
	w->free_mem[h] -= mem;
	w->free_cpu[h] -= vcpus;
}

/*
 * Places VM v on host only (pinned), or on the best host (only < 0), with
 * its FT secondary; changes nothing and returns false when it does not
 * fit. mem is the memory as the loader reads it.
 */
static bool place(struct writer *w, size_t c, size_t v, double mem, long only)
{
	const struct iestate_vm *vm = &w->e->vms[v];
	long h = only >= 0 ? (fits(w, only, mem, vm->vcpus) ? only : -1)
	                   : best_host(w, c, mem, vm->vcpus, -1);
	if (h < 0)
		return false;
	long h2 = -1;
	if (vm->ft) {
		/* The loader takes h first; the secondary's search skips h, so the order is moot. */
		h2 = best_host(w, c, mem, vm->vcpus, h);
		if (h2 < 0)
			return false;
	}
	take(w, h, mem, vm->vcpus);
	if (h2 >= 0)
		take(w, h2, mem, vm->vcpus);
	return true;
}

static void place_cluster(struct writer *w, size_t c, const struct csize *cs)
{
	const struct iestate *e = w->e;
	char buf[64];
	for (size_t i = w->host0[c]; i < w->host0[c + 1]; i++) {
		size_t h = w->host_order[i];
		w->free_mem[h] = host_mem(e, cs, h, buf, sizeof(buf));
		w->free_cpu[h] = host_cores(e, cs, h) * cs->overcommit;
	}
	/* Powered-on VMs: pinned where they fit, then the others anywhere. */
	for (size_t i = w->vm0[c]; i < w->vm0[c + 1]; i++) {
		size_t v = w->vm_order[i];
		w->group[v] = G_OFF;
		if (e->vms[v].power != SCENARIO_POWER_ON)
			continue;
		double mem = fmt_size(e->vms[v].memory_gb, buf, sizeof(buf));
		long h = export_host(e, v);
		w->group[v] = G_NOWHERE;
		if (h >= 0 && place(w, c, v, mem, h))
			w->group[v] = G_ON_PINNED;
	}
	for (size_t i = w->vm0[c]; i < w->vm0[c + 1]; i++) {
		size_t v = w->vm_order[i];
		if (w->group[v] != G_NOWHERE)
			continue;
		double mem = fmt_size(e->vms[v].memory_gb, buf, sizeof(buf));
		if (!place(w, c, v, mem, -1))
			continue;
		w->group[v] = G_ON_FREE;
		long h = export_host(e, v);
		if (h < 0)
			continue;
		w->unpinned++;
		if (!w->ex_unpinned_vm) {
			w->ex_unpinned_vm = w->vname[v];
			w->ex_unpinned_host = w->hname[h];
		}
	}
	for (size_t i = w->vm0[c]; i < w->vm0[c + 1]; i++) {
		size_t v = w->vm_order[i];
		if (w->group[v] == G_NOWHERE) {
			w->st.vms_unplaced++;
			if (!w->ex_nowhere) {
				w->ex_nowhere = w->vname[v];
				w->ex_nowhere_cluster = w->cname[c];
			}
		} else if (w->group[v] == G_OFF) {
			w->st.vms_off++;
		} else {
			w->st.vms++;
			w->st.vms_pinned += w->group[v] == G_ON_PINNED;
		}
	}
}

/* ---- emitting ------------------------------------------------------------------ */

static void emit_host(struct writer *w, FILE *f, const struct csize *cs, size_t h)
{
	const struct iestate *e = w->e;
	const struct iestate_host *eh = &e->hosts[h];
	char mem[64], ver[32];
	host_mem(e, cs, h, mem, sizeof(mem));
	fputs("      - {name: ", f);
	put_quoted(f, w->hname[h], true);
	if (eh->version) {
		fputs(", version: ", f);
		put_quoted(f, scenario_version_format(eh->version, ver, sizeof(ver)), false);
	}
	fprintf(f, ", cores: %d, memory_gb: %s%s%s}", host_cores(e, cs, h), mem,
	        eh->tpm ? ", tpm: true" : "", eh->dpu ? ", dpu: true" : "");
	const char *sep = "  # ";
	if (w->hrenamed[h]) {
		fputs(sep, f);
		fputs("export name: ", f);
		put_comment(f, eh->name);
		sep = "; ";
	}
	if (eh->inferred) {
		fputs(sep, f);
		fputs("not in a host export: size guessed from its VMs", f);
		sep = "; ";
	}
	if (!eh->version) {
		fputs(sep, f);
		fputs("ESXi version unknown: the vCenter's", f);
		w->unknown_versions++;
		sep = "; ";
	} else if (eh->version < SCENARIO_VERSION(8, 0, 3)) {
		fputs(sep, f);
		fputs("older than 8.0.3: cannot live patch", f);
		sep = "; ";
	}
	if (eh->about) {
		fputs(sep, f);
		put_comment(f, eh->about);
	}
	putc('\n', f);
}

static void emit_vm(struct writer *w, FILE *f, size_t v)
{
	const struct iestate *e = w->e;
	const struct iestate_vm *vm = &e->vms[v];
	char mem[64];
	fmt_size(vm->memory_gb, mem, sizeof(mem));
	fputs("      - {name: ", f);
	put_quoted(f, w->vname[v], true);
	fprintf(f, ", vcpus: %d, memory_gb: %s, power: ", vm->vcpus, mem);
	put_quoted(f, scenario_power_name(vm->power), false);
	if (vm->ft)
		fputs(", ft: true", f);
	if (vm->directpath)
		fputs(", directpath: true", f);
	if (vm->shared_disk)
		fputs(", shared_disk: true", f);
	if (vm->vsphere_pod)
		fputs(", vsphere_pod: true", f);
	enum vm_group g = (enum vm_group)w->group[v];
	long h = export_host(e, v);
	if (g == G_ON_PINNED) {
		fputs(", host: ", f);
		put_quoted(f, w->hname[h], false);
	}
	if (g == G_NOWHERE || g == G_OFF)
		fputs(", count: 0", f);
	putc('}', f);
	const char *sep = "  # ";
	if (w->vrenamed[v]) {
		fputs(sep, f);
		fputs("export name: ", f);
		put_comment(f, vm->name);
		sep = "; ";
	}
	if (g == G_NOWHERE) {
		fputs(sep, f);
		fprintf(f, "fits on no host in lpsim's model (%s GB, %d vCPU%s%s)", mem, vm->vcpus,
		        vm->vcpus == 1 ? "" : "s",
		        vm->ft ? ", and as much for its FT secondary" : "");
		if (h >= 0) {
			fputs(", export: on ", f);
			put_comment(f, w->hname[h]);
		}
		fputs("; add capacity, then set count: 1", f);
		sep = "; ";
	} else if (g == G_OFF) {
		fputs(sep, f);
		fprintf(f,
		        "%s: vSphere counts no host memory for it, lpsim's model would; set "
		        "count: 1 to simulate it",
		        vm->power == SCENARIO_POWER_SUSPENDED ? "suspended" : "powered off");
		if (h >= 0) {
			fputs(" (export: on ", f);
			put_comment(f, w->hname[h]);
			fputs(")", f);
		}
		sep = "; ";
	} else if (g == G_ON_FREE && h >= 0) {
		fputs(sep, f);
		fputs("not pinned: the export has it on ", f);
		put_comment(f, w->hname[h]);
		fputs(", which lacks room in lpsim's model", f);
		sep = "; ";
	}
	if (vm->about) {
		fputs(sep, f);
		put_comment(f, vm->about);
	}
	putc('\n', f);
}

/* "  # WHERE" for a setting the export gave, else "  # not in the export: lpsim's default". */
static void setting_source(FILE *f, enum iestate_known k, const char *about)
{
	if (k == IESTATE_UNKNOWN || !about) {
		fputs("  # not in the export: lpsim's default", f);
		return;
	}
	fputs("  # ", f);
	put_comment(f, about);
}

/* The drs, ha and vsan lines of a cluster. */
static void emit_settings(FILE *f, const struct iestate_cluster *ec)
{
	bool drs = ec->drs != IESTATE_NO, ha = ec->ha != IESTATE_NO;
	enum scenario_drs_automation a =
	    ec->drs == IESTATE_UNKNOWN ? SCENARIO_DRS_FULLY_AUTOMATED : ec->drs_automation;
	char pct[64];
	fmt_size(ec->ha == IESTATE_UNKNOWN ? 0 : ec->ha_admission_pct, pct, sizeof(pct));
	fprintf(f, "    drs: {enabled: %s, automation: \"%s\"}", drs ? "true" : "false",
	        scenario_drs_automation_name(a));
	setting_source(f, ec->drs, ec->drs_about);
	fputs("; manual | partially_automated | fully_automated\n", f);
	fprintf(f, "    ha: {enabled: %s, admission_control_pct: %s}", ha ? "true" : "false", pct);
	setting_source(f, ec->ha, ec->ha_about);
	fprintf(f, "\n    vsan: %s", ec->vsan == IESTATE_YES ? "true" : "false");
	setting_source(f, ec->vsan, ec->vsan_about);
	fputs("; at most one vSAN host in maintenance mode at a time when true\n", f);
}

static void emit_cluster(struct writer *w, FILE *f, size_t c, const struct csize *cs)
{
	const struct iestate *e = w->e;
	size_t nh = w->host0[c + 1] - w->host0[c];
	size_t nv = w->vm0[c + 1] - w->vm0[c];
	fputs("\n  # ", f);
	put_comment(f, w->cname[c]);
	if (e->clusters[c].about) {
		fputs(" (", f);
		put_comment(f, e->clusters[c].about);
		fputs(")", f);
	}
	if (e->clusters[c].vcenter_about) {
		fputs(", vCenter ", f);
		put_comment(f, e->clusters[c].vcenter_about);
	}
	fprintf(f, ": %zu host%s, %zu VM%s\n", nh, nh == 1 ? "" : "s", nv, nv == 1 ? "" : "s");
	fputs("  - name: ", f);
	put_quoted(f, w->cname[c], true);
	if (w->crenamed[c]) {
		fputs("  # export name: ", f);
		put_comment(f, e->clusters[c].name);
		if (w->cdup[c])
			fputs("; a duplicate name: an earlier cluster of the export (another vCenter or "
			      "datacenter) has it",
			      f);
	}
	putc('\n', f);
	emit_settings(f, &e->clusters[c]);
	fprintf(f, "    cpu_overcommit: %s  # vCPUs per core that DRS may place",
	        cs->overcommit_txt);
	if (cs->overcommit > IESTATE_CPU_OVERCOMMIT && cs->ratio_host >= 0) {
		fprintf(f, "; raised from %.1f: the export has %.2f on ", IESTATE_CPU_OVERCOMMIT,
		        cs->ratio);
		put_comment(f, w->hname[cs->ratio_host]);
	}
	fputs("\n    hosts:\n", f);
	for (size_t i = w->host0[c]; i < w->host0[c + 1]; i++)
		emit_host(w, f, cs, w->host_order[i]);
	if (nv == 0) {
		fputs("    vms: []\n", f);
		return;
	}
	fputs("    vms:\n", f);
	for (int g = 0; g < G_N; g++)
		for (size_t i = w->vm0[c]; i < w->vm0[c + 1]; i++)
			if (w->group[w->vm_order[i]] == g)
				emit_vm(w, f, w->vm_order[i]);
}

/* The fixed part: top level, vCenter, patch, hardware and faults, lpsim's defaults. */
static void emit_top(struct writer *w, FILE *f)
{
	const struct iestate *e = w->e;
	char ver[32];
	fputs("lpsim: 1\nname: ", f);
	put_quoted(f, w->m->scenario_name, false);
	fputs("\ndescription: ", f);
	put_quoted(f, san(w, w->m->description), false);
	fputs("\nseed: 1                    # same scenario and seed, same results\n"
	      "replications: 30           # runs per strategy (lpsim run -r overrides)\n"
	      "strategies: [\"live_patch\", \"classic\"]\n"
	      "horizon: \"30d\"             # simulated time limit per replication\n"
	      "\n"
	      "vcenter:\n"
	      "  version: ",
	      f);
	uint32_t vv = e->vcenter_version ? e->vcenter_version : SCENARIO_VERSION(8, 0, 3);
	put_quoted(f, scenario_version_format(vv, ver, sizeof(ver)), false);
	if (e->vcenter_version && e->vcenter_about) {
		fputs("  # ", f);
		put_comment(f, e->vcenter_about);
	} else {
		fputs(w->m->live ? "  # not read from vCenter: lpsim's default"
		                 : "  # not in the export: lpsim's default",
		      f);
	}
	fputs(
	    "; live patch needs 8.0.3 or later\n"
	    "  live_patch_mode: \"enforce\"  # enforce: a cluster with an ineligible host is not "
	    "remediated; auto: ineligible hosts take the classic path; disable\n"
	    "  remediation:\n"
	    "    parallel: {enabled: false, max_hosts: 4}  # max_hosts: 1..96 or \"auto\"\n"
	    "    pre_remediation_power_action: \"do_not_change\"  # power_off | suspend | "
	    "suspend_to_memory | do_not_change\n"
	    "    failure_action: {retry_count: 3, retry_delay: \"5m\"}\n"
	    "    quick_boot: false\n"
	    "    evacuate_offline_vms: false\n"
	    "    disable_hac: true            # ignore HA admission control during remediation\n"
	    "    manual_remediation:          # VMs left on the old VM runtime (FT, DirectPath, "
	    "shared disks)\n"
	    "      policy: \"none\"             # none | auto (vMotion where possible, else power "
	    "cycle) | power_cycle\n"
	    "      start: \"after_cluster\"     # after_host | after_cluster\n"
	    "      delay: \"0s\"\n"
	    "\n"
	    "patch:                           # the patch to simulate: edit\n"
	    "  name: \"ESXi-8.0U3-patch\"\n"
	    "  live_patchable: true\n"
	    "  components: [\"vmx\"]            # vmx | vmkernel | daemons\n"
	    "  memory_reservation_gb: {temporary: 0, permanent: 0}  # per host, during / after "
	    "live patch\n"
	    "\n"
	    "hardware:                        # latencies: lpsim's defaults, assumptions to tune\n"
	    "  enter_partial_mm: {dist: \"lognormal\", median: \"10s\", p95: \"30s\"}\n"
	    "  mount_revision: {dist: \"lognormal\", median: \"30s\", p95: \"60s\"}\n"
	    "  patch_revision: {dist: \"lognormal\", median: \"60s\", p95: \"120s\"}\n"
	    "  rollback: \"30s\"\n"
	    "  fsr:\n"
	    "    stun: {base: \"100ms\", per_gb: \"2ms\", per_vcpu: \"5ms\", sigma: 0.3}\n"
	    "    concurrency: 4\n"
	    "  exit_partial_mm: \"10s\"\n"
	    "  enter_mm: \"30s\"\n"
	    "  install: {dist: \"lognormal\", median: \"5m\", p95: \"8m\"}\n"
	    "  post: {dist: \"uniform\", min: \"3m\", max: \"8m\"}\n"
	    "  boot: {dist: \"lognormal\", median: \"4m\", p95: \"7m\"}\n"
	    "  quick_boot: {dist: \"lognormal\", median: \"2m\", p95: \"3m\"}\n"
	    "  exit_mm: \"30s\"\n"
	    "  vm_shutdown: \"30s\"\n"
	    "  vm_boot: {dist: \"lognormal\", median: \"60s\", p95: \"3m\"}\n"
	    "  vmotion: {efficiency: 0.9, switchover_target: \"500ms\", "
	    "switchover_overhead: \"200ms\", max_rounds: 30, sdps: true, "
	    "sdps_dirty_fraction: 0.5}  # max_concurrent: by NIC speed\n"
	    "\n"
	    "faults:                          # injected faults: none\n"
	    "  patch_failure_prob: 0\n"
	    "  fsr_failure_prob: 0\n"
	    "  vmotion_failure_prob: 0\n"
	    "  host_crash_prob: 0\n"
	    "  ha_restart: \"2m\"\n"
	    "\n"
	    "",
	    f);
	fputs(w->m->live
	          ? "# Hosts: tpm and dpu are vCenter's; vmotion_gbps (25) is lpsim's default.\n"
	            "# VMs: dirty_mb_per_s (100) is not in vCenter's inventory: lpsim's default.\n"
	          : "# Hosts: tpm, dpu (false) and vmotion_gbps (25) are not in the export: add "
	            "them where\n"
	            "# they differ (a TPM blocks live patch before vCenter 9.1, a DPU always).\n"
	            "# VMs: dirty_mb_per_s (100) and vsphere_pod (false) are not in the export "
	            "either.\n",
	      f);
	fputs("clusters:\n", f);
}

static void emit_header(struct writer *w, FILE *f)
{
	const struct iestate_meta *m = w->m;
	const struct iestate_stats *st = &w->st;
	fputs("# lpsim scenario written by `", f);
	put_comment(f, m->command);
	fputs("`.\n", f);
	for (size_t i = 0; i < m->nnotes; i++) {
		fputs("# ", f);
		put_comment(f, m->notes[i]);
		fputs("\n", f);
	}
	fprintf(f,
	        "#\n# Written: %ld cluster%s, %ld host%s, %ld VM%s (%ld pinned to their export "
	        "host)",
	        st->clusters, st->clusters == 1 ? "" : "s", st->hosts, st->hosts == 1 ? "" : "s",
	        st->vms, st->vms == 1 ? "" : "s", st->vms_pinned);
	if (st->vms_unplaced)
		fprintf(f, "; %ld VM%s with count: 0 (fit on no host)", st->vms_unplaced,
		        st->vms_unplaced == 1 ? "" : "s");
	if (st->vms_off)
		fprintf(f, "; %ld powered-off or suspended VM%s with count: 0", st->vms_off,
		        st->vms_off == 1 ? "" : "s");
	if (st->vms_dropped)
		fprintf(f, "; %ld VM%s left out (cluster without hosts)", st->vms_dropped,
		        st->vms_dropped == 1 ? "" : "s");
	fputs(
	    ".\n"
	    "#\n"
	    "# How the import writes the estate (details: scenarios/import_estate.h):\n"
	    "# - Names: each host and VM is an entry of its own under its literal name. Control\n"
	    "#   characters and / , \" [ ] (not allowed in names) become _, a name is cut to 255\n"
	    "#   bytes, and a name taken twice in its cluster gets ~2, ~3, ...; such an entity\n"
	    "#   shows its export name in a comment. A % is written %% (names are patterns).\n"
	    "# - Powered-off and suspended VMs have count: 0: vSphere's admission control and\n"
	    "#   DRS count no host memory for them, while lpsim's model counts every VM whatever\n"
	    "#   its power state. Set count: 1 to simulate one (e.g. with evacuate_offline_vms).\n"
	    "# - Pins: a powered-on VM is pinned (host:) to the host the export shows it on when\n"
	    "#   that host has room in lpsim's model (its memory and vCPUs, and an FT VM's\n"
	    "#   secondary on another host, up to cpu_overcommit vCPUs per core). Otherwise it\n"
	    "#   is left to initial placement (the host with the most free memory); a VM that\n"
	    "#   fits nowhere has count: 0 (it makes no VM) until capacity is added.\n"
	    "# - cpu_overcommit is 4.0, or raised to the export's highest vCPUs per core (of\n"
	    "#   the powered-on VMs on a host, or the host's own figure).\n"
	    "",
	    f);
	fputs(m->live ? "# - DRS, HA, vSAN, TPM and DPU are vCenter's (each says where it comes from);\n"
	                "#   the patch, the live patch mode (a vLCM setting, not in this API),\n"
	                "#   latencies and faults are lpsim's defaults, to check.\n\n"
	              : "# - DRS, HA and vSAN say where they come from; a setting marked \"not in the\n"
	                "#   export\" is lpsim's default, to check, as are the patch, TPM and DPU,\n"
	                "#   latencies and faults.\n\n",
	      f);
}

/* Warnings summing up what the import decided. */
static void warn_summary(struct writer *w)
{
	if (w->inferred_hosts)
		ilog_warn(
		    w->log,
		    "%ld host%s not in a host export: %s cores and memory are guessed from the "
		    "VMs on %s (see the comments in the scenario)",
		    w->inferred_hosts, w->inferred_hosts == 1 ? " is" : "s are",
		    w->inferred_hosts == 1 ? "its" : "their",
		    w->inferred_hosts == 1 ? "it" : "them");
	if (w->unknown_versions)
		ilog_warn(w->log, "%ld host%s no known ESXi version: the vCenter's is assumed",
		          w->unknown_versions, w->unknown_versions == 1 ? " has" : "s have");
	if (w->unpinned)
		ilog_warn(w->log,
		          "%ld VM%s not pinned to %s export host, which lacks room in lpsim's "
		          "model (e.g. '%s' on '%s'): left to initial placement",
		          w->unpinned, w->unpinned == 1 ? " is" : "s are",
		          w->unpinned == 1 ? "its" : "their", w->ex_unpinned_vm,
		          w->ex_unpinned_host);
	if (w->st.vms_off)
		ilog_warn(w->log,
		          "%ld powered-off or suspended VM%s written with count: 0: vSphere counts "
		          "no host memory for %s, lpsim's model would (set count: 1 to simulate %s)",
		          w->st.vms_off, w->st.vms_off == 1 ? "" : "s",
		          w->st.vms_off == 1 ? "it" : "them", w->st.vms_off == 1 ? "it" : "them");
	if (w->st.vms_unplaced)
		ilog_warn(w->log,
		          "%ld VM%s on no host in lpsim's model (e.g. '%s' in cluster '%s'): "
		          "written with count: 0",
		          w->st.vms_unplaced, w->st.vms_unplaced == 1 ? " fits" : "s fit",
		          w->ex_nowhere, w->ex_nowhere_cluster);
	if (w->st.renamed)
		ilog_warn(w->log,
		          "%ld name%s changed to fit the format's rules (e.g. '%s'); the export "
		          "name%s in a comment",
		          w->st.renamed, w->st.renamed == 1 ? "" : "s", san(w, w->ex_renamed),
		          w->st.renamed == 1 ? " is" : "s are");
	if (w->st.clusters_raised)
		ilog_warn(w->log,
		          "%ld cluster%s cpu_overcommit raised above %.1f to fit the export's "
		          "vCPUs per core",
		          w->st.clusters_raised,
		          w->st.clusters_raised == 1 ? " has its" : "s have their",
		          IESTATE_CPU_OVERCOMMIT);
}

int iestate_write(const struct iestate *e, const struct iestate_meta *m, struct ilog *log,
                  char **yaml, size_t *len, struct iestate_stats *stats)
{
	*yaml = NULL;
	*len = 0;
	struct writer w = {.e = e, .m = m, .log = log};
	char *body = NULL, *out = NULL;
	size_t body_len = 0, out_len = 0;
	FILE *bf = NULL, *of = NULL;
	int rc = writer_alloc(&w);
	if (rc < 0)
		goto out_free;
	rc = name_clusters(&w);
	if (rc < 0)
		goto out_free;
	if (w.st.clusters == 0) {
		ilog_error(log,
		           "%s: error: nothing to import: no cluster with a host (every VM row was "
		           "skipped, or no row names a host)",
		           m->input);
		rc = -EINVAL;
		goto out_free;
	}
	bf = open_memstream(&body, &body_len);
	if (!bf) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (size_t c = 0; c < e->nclusters; c++) {
		if (!w.cname[c])
			continue;
		rc = name_members(&w, c);
		if (rc < 0)
			goto out_free;
		struct csize cs;
		size_cluster(&w, c, &cs);
		place_cluster(&w, c, &cs);
		w.st.hosts += (long)(w.host0[c + 1] - w.host0[c]);
		emit_cluster(&w, bf, c, &cs);
	}
	/* A memstream's last realloc may fail in fclose, which still returns
	 * 0 and leaves the buffer NULL: that is out of memory too. */
	if (fclose(bf) != 0 || !body) {
		bf = NULL;
		rc = -ENOMEM;
		goto out_free;
	}
	bf = NULL;
	of = open_memstream(&out, &out_len);
	if (!of) {
		rc = -ENOMEM;
		goto out_free;
	}
	emit_header(&w, of);
	emit_top(&w, of);
	fwrite(body, 1, body_len, of);
	if (fclose(of) != 0 || !out) {
		of = NULL;
		rc = -ENOMEM;
		goto out_free;
	}
	of = NULL;
	if (out_len > (size_t)SCENARIO_MAX_FILE_BYTES) {
		ilog_error(
		    log,
		    "%s: error: the scenario would be %zu bytes, more than the %ld a scenario "
		    "may have: import the export in parts (e.g. by cluster)",
		    m->input, out_len, (long)SCENARIO_MAX_FILE_BYTES);
		rc = -EINVAL;
		goto out_free;
	}
	warn_summary(&w);
	if (w.oom) {
		rc = -ENOMEM;
		goto out_free;
	}
	if (stats)
		*stats = w.st;
	*yaml = out;
	*len = out_len;
	out = NULL;
	rc = 0;
out_free:
	if (bf)
		fclose(bf);
	if (of)
		fclose(of);
	free(body);
	free(out);
	sarena_free(w.a);
	return rc;
}
