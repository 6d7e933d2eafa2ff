/*
 * import: the RVTools and PowerCLI readers. Each turns its CSV tables
 * (import_csv.h) into an inventory (import_estate.h), checking every value
 * it uses and reporting each bad one at its file, row and column; the
 * estate then writes the scenario. Nothing is written when any error was
 * found: all files are read first, so that one run reports them all.
 *
 * Keys: a cluster is (VI SDK Server, Datacenter, Cluster), a host
 * (VI SDK Server, Host), joined with the unit separator 0x1f (which
 * cannot reach a name: control characters are not names). A standalone
 * host's cluster key is (server, datacenter, 0x01, host).
 */
#include "scenarios/import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/diag.h"
#include "scenarios/import_csv.h"
#include "scenarios/import_map.h"
#include "scenarios/import_rows.h"
#include "scenarios/import_rvtabs.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ---- reading ------------------------------------------------------------------ */

/* Upper bounds of the export's figures, from the format's limits. */
#define MAX_MIB ((long)(SCENARIO_MAX_MEMORY_GB * 1024.0))

struct reader {
	const struct import_request *rq;
	struct ilog *log;
	struct iestate *e;
	struct import_result *res;
	struct imap *clusters; /* cluster key -> index */
	struct imap *hosts;    /* host key -> index */
	struct imap *hosts_ci; /* the host key in lower case, blanks trimmed -> index */
	struct imap *host_names; /* a host name in lower case -> index, or IROW_AMBIGUOUS */
	struct imap *host_short; /* its first DNS label in lower case -> index, or IROW_AMBIGUOUS */
	bool oom;
	long by_name; /* VM rows whose host was found by name only (another server, or none) */
	const char *ex_by_name_vm;
	long maintenance; /* vHost rows in maintenance mode */
	const char *ex_maintenance;
	long quarantine; /* vHost rows in quarantine mode */
	long vm_rows_with_host; /* VM rows naming a host, when hosts are given */
	long vm_rows_matched;   /* of which found in the hosts file */
	/* counts and examples for the warnings */
	long unknown_host;
	const char *ex_unknown_vm;
	const char *ex_unknown_host;
	long other_cluster;
	const char *ex_other_vm;
	long moved; /* VMs whose Cluster is not their host's: the host's is used */
	const char *ex_moved_vm;
	long duplicate_hosts;
	const char *ex_duplicate_host;
	size_t *vm_row;  /* RVTools: per VM, its vInfo row (for the vNetwork and vDisk joins) */
	bool use_server; /* RVTools: keys hold VI SDK Server (vInfo and vHost both have it) */
	bool use_dc;     /* RVTools: keys hold Datacenter (likewise) */
};

/* A copy of s in the estate; NULL (and r->oom) when memory runs out. */
static const char *keep(struct reader *r, const char *s)
{
	const char *c = iestate_strdup(r->e, s);
	if (!c)
		r->oom = true;
	return c;
}

/* "a\x1fb\x1fc" (malloc'd; free it), NULL when memory runs out. c may be NULL. */
static char *key_join(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = c ? strlen(c) : 0;
	char *k = malloc(la + lb + lc + 3);
	if (!k)
		return NULL;
	memcpy(k, a, la);
	k[la] = '\x1f';
	memcpy(k + la + 1, b, lb);
	size_t o = la + 1 + lb;
	if (c) {
		k[o++] = '\x1f';
		memcpy(k + o, c, lc);
		o += lc;
	}
	k[o] = '\0';
	return k;
}

/* key_join(a, b, NULL) of a and b trimmed and in ASCII lower case; NULL when memory runs out. */
static char *key_lower(const char *a, const char *b)
{
	return irow_lower_key(a, b, strlen(b));
}

static bool get_count(struct reader *r, const struct icsv_table *t, size_t row, size_t col,
                      long max, const char *what, long *out)
{
	char sn[80];
	const char *s = icsv_get(t, row, col);
	if (import_parse_whole(s, max, out) && *out >= 1)
		return true;
	irow_error(r->log, t, row, col,
	           "expected the number of %s, a whole number from 1 to %ld (got '%s')", what, max,
	           irow_snip(sn, sizeof(sn), s));
	return false;
}

/* A memory size in the column's unit (MiB or GB) into GB. */
static bool get_memory(struct reader *r, const struct icsv_table *t, size_t row, size_t col,
                       bool mib, const char *whose, double *gb)
{
	char sn[80];
	const char *s = icsv_get(t, row, col);
	double v;
	bool ok = import_parse_size(s, t->delim == ';', &v);
	if (ok) {
		*gb = mib ? import_mib_to_gb(v) : v;
		ok = *gb >= 1.0 / 1024 && *gb <= SCENARIO_MAX_MEMORY_GB;
	}
	if (ok)
		return true;
	if (mib)
		irow_error(r->log, t, row, col,
		           "expected %s memory in MiB, a number from 1 to %ld (got '%s')", whose,
		           MAX_MIB, irow_snip(sn, sizeof(sn), s));
	else
		irow_error(r->log, t, row, col,
		           "expected %s memory in GB, a number from 0.0009765625 (1 MiB) to %.0f "
		           "(got '%s')",
		           whose, SCENARIO_MAX_MEMORY_GB, irow_snip(sn, sizeof(sn), s));
	return false;
}

static bool get_power(struct reader *r, const struct icsv_table *t, size_t row, size_t col,
                      const char *words, enum scenario_power *p)
{
	char sn[80];
	const char *s = icsv_get(t, row, col);
	if (import_parse_power(s, p))
		return true;
	irow_error(r->log, t, row, col, "expected %s (got '%s')", words,
	           irow_snip(sn, sizeof(sn), s));
	return false;
}

static bool get_name(struct reader *r, const struct icsv_table *t, size_t row, size_t col,
                     const char *what, const char **out)
{
	size_t n;
	*out = icsv_get(t, row, col);
	import_trimmed(*out, &n);
	if (n > 0)
		return true;
	irow_error(r->log, t, row, col, "expected a %s name (got nothing)", what);
	return false;
}

/* A version column: empty is unknown (0). */
static bool get_version(struct reader *r, const struct icsv_table *t, size_t row, size_t col,
                        const char *example, uint32_t *v)
{
	char sn[80];
	const char *s = icsv_get(t, row, col);
	size_t n;
	import_trimmed(s, &n);
	*v = 0;
	if (n == 0 || import_parse_esx_version(s, v))
		return true;
	irow_error(r->log, t, row, col, "expected an ESXi version such as '%s' (got '%s')", example,
	           irow_snip(sn, sizeof(sn), s));
	return false;
}

/* The key of (server, datacenter, cluster), or of the standalone host when cluster is empty. */
static char *cluster_key(const char *server, const char *dc, const char *cluster, const char *host)
{
	size_t n;
	import_trimmed(cluster, &n);
	if (n > 0)
		return key_join(server, dc, cluster);
	char *tail = key_join("\x01", host, NULL);
	char *key = tail ? key_join(server, dc, tail) : NULL;
	free(tail);
	return key;
}

/*
 * The cluster of (server, datacenter, cluster), or of the standalone host
 * when cluster is empty: found or added. Returns its index or -1 (oom).
 */
static long get_cluster(struct reader *r, const char *server, const char *dc, const char *cluster,
                        const char *host)
{
	size_t n;
	import_trimmed(cluster, &n);
	bool standalone = n == 0;
	char *key = cluster_key(server, dc, cluster, host);
	if (!key) {
		r->oom = true;
		return -1;
	}
	long c = imap_get(r->clusters, key);
	if (c < 0) {
		char about[600];
		size_t dn;
		import_trimmed(dc, &dn);
		if (standalone)
			snprintf(about, sizeof(about), "a standalone host%s%.*s",
			         dn ? " in datacenter " : "", (int)dn, dc);
		else if (dn)
			snprintf(about, sizeof(about), "datacenter %.*s", (int)dn, dc);
		else
			about[0] = '\0';
		size_t sn;
		import_trimmed(server, &sn);
		struct iestate_cluster ec = {
		    .name = keep(r, standalone ? host : cluster),
		    .about = about[0] ? keep(r, about) : NULL,
		    .drs = IESTATE_UNKNOWN,
		    .ha = IESTATE_UNKNOWN,
		    .vsan = IESTATE_UNKNOWN,
		    .standalone = standalone,
		    .server = sn ? keep(r, server) : NULL,
		};
		if (r->oom || (c = iestate_add_cluster(r->e, &ec)) < 0 ||
		    imap_put(r->clusters, key, c) < 0) {
			r->oom = true;
			c = -1;
		}
	}
	free(key);
	return c;
}

static long find_host(struct reader *r, const char *server, const char *host)
{
	char *key = key_join(server, host, NULL);
	if (!key) {
		r->oom = true;
		return -1;
	}
	long h = imap_get(r->hosts, key);
	free(key);
	return h;
}

static char *first_label(const char *name);

/*
 * The host a VM row names: (server, host) exactly; else the same in any
 * case, blanks trimmed; else, when one host only has that name (any case)
 * or that first DNS label, that host (*by_name set: the servers differ,
 * an IP against a name, or one is empty). -1 when none matches.
 */
static long find_host_vm(struct reader *r, const char *server, const char *host, bool *by_name)
{
	*by_name = false;
	long h = find_host(r, server, host);
	if (h >= 0 || r->oom)
		return h;
	char *k = key_lower(server, host), *label = first_label(host);
	char *kn = key_lower("", host), *ks = label ? key_lower("", label) : NULL;
	if (!k || !label || !kn || !ks) {
		r->oom = true;
	} else if ((h = imap_get(r->hosts_ci, k)) < 0 || h == IROW_AMBIGUOUS) {
		/* The full name, then the short name against the other side's. */
		h = imap_get(r->host_names, kn);
		if (h < 0)
			h = imap_get(r->host_short, kn);
		if (h < 0 && label[0])
			h = imap_get(r->host_names, ks);
		if (h < 0 && label[0])
			h = imap_get(r->host_short, ks);
		if (h == IROW_AMBIGUOUS)
			h = -1;
		*by_name = h >= 0;
	}
	free(k);
	free(label);
	free(kn);
	free(ks);
	return r->oom ? -1 : h;
}

/*
 * A host name's first DNS label ("esx01" of "esx01.lab.local"; malloc'd,
 * NULL when memory runs out): "" for a name without a dot or an address
 * (digits, dots and colons only), which has no short form.
 */
static char *first_label(const char *name)
{
	size_t n;
	const char *t = import_trimmed(name, &n);
	bool address = true;
	for (size_t i = 0; i < n; i++)
		address &= is_digit(t[i]) || t[i] == '.' || t[i] == ':';
	const char *dot = memchr(t, '.', n);
	size_t k = address || !dot ? 0 : (size_t)(dot - t);
	char *s = malloc(k + 1);
	if (s) {
		memcpy(s, t, k);
		s[k] = '\0';
	}
	return s;
}

/* Sets key_lower(a, b) to i in m, or to IROW_AMBIGUOUS when another host has it. Skips an empty b. */
static int host_alias(struct imap *m, const char *a, const char *b, long i)
{
	size_t n;
	import_trimmed(b, &n);
	if (n == 0)
		return 0;
	char *k = key_lower(a, b);
	if (!k)
		return -ENOMEM;
	int rc = irow_put_once(m, k, i);
	free(k);
	return rc;
}

/*
 * Adds host h under (server, name), with a copy of its name in the estate.
 * Returns its index or -1 (oom, now or before).
 */
static long add_host(struct reader *r, const char *server, const struct iestate_host *h)
{
	struct iestate_host kept = *h;
	kept.name = keep(r, h->name);
	if (r->oom)
		return -1;
	char *key = key_join(server, kept.name, NULL);
	char *label = first_label(kept.name);
	long i = -1;
	if (!key || !label || (i = iestate_add_host(r->e, &kept)) < 0 ||
	    imap_put(r->hosts, key, i) < 0 || host_alias(r->hosts_ci, server, kept.name, i) < 0 ||
	    host_alias(r->host_names, "", kept.name, i) < 0 ||
	    host_alias(r->host_short, "", label, i) < 0) {
		r->oom = true;
		i = -1;
	}
	free(label);
	free(key);
	return i;
}

/* Whether an earlier row listed host (server, name): counted for the warning. */
static bool host_listed(struct reader *r, const char *server, const char *name)
{
	if (find_host(r, server, name) < 0)
		return false;
	if (!r->duplicate_hosts++)
		r->ex_duplicate_host = keep(r, name);
	return true;
}

/*
 * A row of a hosts file, read without error into h (but its cluster):
 * added in the cluster of (server, dc, cluster), or of the standalone
 * host when cluster is empty, unless an earlier row listed it. Memory
 * running out sets r->oom.
 */
static void add_listed_host(struct reader *r, const char *server, const char *dc,
                            const char *cluster, struct iestate_host *h)
{
	if (host_listed(r, server, h->name))
		return;
	long c = get_cluster(r, server, dc, cluster, h->name);
	if (c < 0)
		return;
	h->cluster = (size_t)c;
	add_host(r, server, h);
}

/* A VM on a host the hosts file does not list: counted for the warning. */
static void unknown_host(struct reader *r, const char *vm, const char *host)
{
	if (!r->unknown_host++) {
		r->ex_unknown_vm = keep(r, vm);
		r->ex_unknown_host = keep(r, host);
	}
}

/*
 * The host a VM row names: the listed one (hosts given) or an inferred
 * one, added in cluster c (hosts not given). -1 when there is none to pin
 * to (empty name, unknown, or in another cluster; counted for warnings).
 */
static long vm_host(struct reader *r, bool hosts_given, const char *server, const char *host,
                    long c, const char *vm)
{
	size_t n;
	import_trimmed(host, &n);
	if (n == 0)
		return -1;
	long h = find_host(r, server, host);
	if (h < 0 && !hosts_given && !r->oom) {
		struct iestate_host eh = {.name = host, .cluster = (size_t)c, .inferred = true};
		return add_host(r, server, &eh);
	}
	if (h < 0) {
		unknown_host(r, vm, host);
		return -1;
	}
	if (r->e->hosts[h].cluster != (size_t)c) {
		if (!r->other_cluster++)
			r->ex_other_vm = keep(r, vm);
		return -1;
	}
	return h;
}

/* ---- RVTools ---------------------------------------------------------------------- */

enum {
	VI_VM,
	VI_POWER,
	VI_TEMPLATE,
	VI_SRM,
	VI_CONN,
	VI_CPUS,
	VI_MEMORY,
	VI_HOST,
	VI_CLUSTER,
	VI_DATACENTER,
	VI_FT_STATE,
	VI_FT_ROLE,
	VI_VMID,
	VI_SERVER,
	VI_API,
	VI_N
};

/* Header names seen in RVTools versions (MB in 3.x, MiB in 4.x; a few spellings). */
static const struct icsv_column vinfo_cols[VI_N] = {
    [VI_VM] = {"VM|VM Name", true},
    [VI_POWER] = {"Powerstate|Power state|Power", true},
    [VI_TEMPLATE] = {"Template", false},
    [VI_SRM] = {"SRM Placeholder", false},
    [VI_CONN] = {"Connection state|Connectionstate", false},
    [VI_CPUS] = {"CPUs|Num CPU|NumCPU|vCPUs", true},
    [VI_MEMORY] = {"Memory|Memory MiB|Memory MB", true},
    [VI_HOST] = {"Host", true},
    [VI_CLUSTER] = {"Cluster", true},
    [VI_DATACENTER] = {"Datacenter", false},
    [VI_FT_STATE] = {"FT State|FTState", false},
    [VI_FT_ROLE] = {"FT Role|FTRole", false},
    [VI_VMID] = {"VM ID|VMID|VM Id", false},
    [VI_SERVER] = {"VI SDK Server|VISDK Server", false},
    [VI_API] = {"VI SDK API Version|VISDK API Version", false},
};

enum {
	VH_HOST,
	VH_CLUSTER,
	VH_DATACENTER,
	VH_CORES,
	VH_MEMORY,
	VH_VERSION,
	VH_SERVER,
	VH_MAINTENANCE,
	VH_QUARANTINE,
	VH_VCPUS_PER_CORE,
	VH_VCPUS,
	VH_N
};

static const struct icsv_column vhost_cols[VH_N] = {
    [VH_HOST] = {"Host|Name", true},
    [VH_CLUSTER] = {"Cluster", true},
    [VH_DATACENTER] = {"Datacenter", false},
    [VH_CORES] = {"# Cores|Cores|Num Cores|# CPU Cores", true},
    [VH_MEMORY] = {"# Memory|Memory|# Memory MiB|# Memory MB|Memory MiB|Memory MB", true},
    [VH_VERSION] = {"ESX Version|ESXi Version|Version", true},
    [VH_SERVER] = {"VI SDK Server|VISDK Server", false},
    [VH_MAINTENANCE] = {"in Maintenance Mode|Maintenance Mode", false},
    [VH_QUARANTINE] = {"in Quarantine Mode|Quarantine Mode", false},
    [VH_VCPUS_PER_CORE] = {"vCPUs per Core", false},
    [VH_VCPUS] = {"# vCPUs", false},
};

enum { VN_VM, VN_ADAPTER, VN_TEMPLATE, VN_VMID, VN_SERVER, VN_N };

/* vNetwork's "Direct Path IO" is not read: it is Vmxnet3's UPT flag, not passthrough. */
static const struct icsv_column vnetwork_cols[VN_N] = {
    [VN_VM] = {"VM|VM Name", true},
    [VN_ADAPTER] = {"Adapter|Adapter Type", true},
    [VN_TEMPLATE] = {"Template", false},
    [VN_VMID] = {"VM ID|VMID|VM Id", false},
    [VN_SERVER] = {"VI SDK Server|VISDK Server", false},
};

enum { VD_VM, VD_SHARING, VD_BUS, VD_TEMPLATE, VD_VMID, VD_SERVER, VD_N };

static const struct icsv_column vdisk_cols[VD_N] = {
    [VD_VM] = {"VM|VM Name", true},
    [VD_SHARING] = {"Sharing mode|Sharing", false},
    [VD_BUS] = {"Shared Bus|SharedBus|Bus Sharing", false},
    [VD_TEMPLATE] = {"Template", false},
    [VD_VMID] = {"VM ID|VMID|VM Id", false},
    [VD_SERVER] = {"VI SDK Server|VISDK Server", false},
};

/*
 * The rows of t to read: all, or all but a totals row at the end (its
 * name column empty or Total, Totals, Sum or Grand Total, and its column
 * empty_col, which every real row fills, empty), which a warning names.
 */
static size_t rows_to_read(struct reader *r, const struct icsv_table *t, size_t name_col,
                           size_t empty_col)
{
	if (t->nrows == 0)
		return 0;
	size_t last = t->nrows - 1, n;
	const char *name = icsv_get(t, last, name_col);
	import_trimmed(icsv_get(t, last, empty_col), &n);
	if (n > 0 || !(import_is_word(name, "") || import_is_word(name, "total") || import_is_word(name, "totals") ||
	               import_is_word(name, "sum") || import_is_word(name, "grand total")))
		return t->nrows;
	ilog_warn(r->log, "%s:%lu: row %lu looks like a totals row (no %s, no %s): skipped", t->file,
	          (unsigned long)t->rows[last].line, (unsigned long)t->rows[last].record,
	          t->col_name[name_col], t->col_name[empty_col]);
	return last;
}

/*
 * vHost's own vCPUs per core of row i: the "vCPUs per Core" column (RVTools
 * writes it with the list separator's decimal mark, "0,6" in a
 * comma-separated file too), else "# vCPUs" / cores; 0 when neither.
 */
static bool get_vcpus_per_core(struct reader *r, const struct icsv_table *t, size_t i, long cores,
                               double *out)
{
	char sn[80];
	size_t n;
	const char *s = icsv_get(t, i, VH_VCPUS_PER_CORE);
	long vcpus;
	*out = 0;
	import_trimmed(s, &n);
	if (n > 0) {
		if (import_parse_size(s, true, out))
			return true;
		irow_error(r->log, t, i, VH_VCPUS_PER_CORE,
		           "expected a number such as 2.5 (got '%s')",
		           irow_snip(sn, sizeof(sn), s));
		return false;
	}
	s = icsv_get(t, i, VH_VCPUS);
	import_trimmed(s, &n);
	if (n == 0)
		return true;
	if (import_parse_whole(s, 100L * 1000 * 1000, &vcpus)) {
		*out = (double)vcpus / (double)(cores > 0 ? cores : 1);
		return true;
	}
	irow_error(r->log, t, i, VH_VCPUS, "expected a whole number of vCPUs (got '%s')",
	           irow_snip(sn, sizeof(sn), s));
	return false;
}

/* The comment of a vHost row's host: its build and its mode; NULL when none. */
static const char *host_about(struct reader *r, const char *version, bool mm, bool quarantine)
{
	char about[200] = "";
	const char *b = strstr(version, "build-");
	size_t n = 0;
	if (b) {
		b += 6;
		while (is_digit(b[n]) && n < 20)
			n++;
	}
	snprintf(about, sizeof(about), "%s%.*s%s%s", n ? "build " : "", (int)n, n ? b : "",
	         mm ? (n ? "; in maintenance mode in the export" : "in maintenance mode in the export")
	            : "",
	         quarantine ? (n || mm ? "; in quarantine mode in the export"
	                               : "in quarantine mode in the export")
	                    : "");
	return about[0] ? keep(r, about) : NULL;
}

static void rv_hosts(struct reader *r, const struct icsv_table *t)
{
	size_t nrows = rows_to_read(r, t, VH_HOST, VH_VERSION);
	for (size_t i = 0; i < nrows && !r->oom; i++) {
		const char *name;
		long cores;
		double mem, per_core = 0;
		uint32_t ver;
		bool mm, quarantine;
		bool ok = get_name(r, t, i, VH_HOST, "host", &name);
		ok &= get_count(r, t, i, VH_CORES, SCENARIO_MAX_CORES, "cores", &cores);
		ok &= get_memory(r, t, i, VH_MEMORY, true, "the host's", &mem);
		ok &= get_version(r, t, i, VH_VERSION, "VMware ESXi 8.0.3 build-24022510", &ver);
		ok &= irow_get_bool(r->log, t, i, VH_MAINTENANCE, &mm);
		ok &= irow_get_bool(r->log, t, i, VH_QUARANTINE, &quarantine);
		ok &= get_vcpus_per_core(r, t, i, ok ? cores : 1, &per_core);
		if (!ok)
			continue;
		struct iestate_host h = {
		    .name = name,
		    .cores = (int)cores,
		    .memory_gb = mem,
		    .version = ver,
		    .vcpus_per_core = per_core,
		    .about = host_about(r, icsv_get(t, i, VH_VERSION), mm, quarantine),
		};
		if (mm && !r->maintenance++)
			r->ex_maintenance = keep(r, name);
		r->quarantine += quarantine;
		add_listed_host(r, r->use_server ? icsv_get(t, i, VH_SERVER) : "",
		                r->use_dc ? icsv_get(t, i, VH_DATACENTER) : "",
		                icsv_get(t, i, VH_CLUSTER), &h);
	}
}

/*
 * Whether a vInfo row is a VM to import; counts the skipped ones. A bad
 * flag is reported, sets *bad, and the row's other fields are checked
 * all the same (true).
 */
static bool rv_vm_wanted(struct reader *r, const struct icsv_table *t, size_t i, bool *bad)
{
	bool template, srm;
	*bad = !irow_get_bool(r->log, t, i, VI_TEMPLATE, &template);
	*bad |= !irow_get_bool(r->log, t, i, VI_SRM, &srm);
	if (*bad)
		return true;
	if (template) {
		r->res->skipped_templates++;
		return false;
	}
	if (srm) {
		r->res->skipped_srm++;
		return false;
	}
	const char *role = icsv_get(t, i, VI_FT_ROLE);
	long rn;
	if (import_is_word(role, "secondary") || (import_parse_whole(role, 1000, &rn) && rn >= 2)) {
		r->res->skipped_ft_secondaries++;
		return false;
	}
	const char *conn = icsv_get(t, i, VI_CONN);
	if (!import_is_word(conn, "") && !import_is_word(conn, "connected")) {
		r->res->skipped_disconnected++;
		return false;
	}
	return true;
}

/* The VI SDK API Version of a vInfo row, as its cluster's vCenter version (the oldest seen). */
static void vm_api_version(struct reader *r, const struct icsv_table *t, size_t i, size_t c)
{
	char sn[80], about[200];
	uint32_t api;
	struct iestate_cluster *ec = &r->e->clusters[c];
	if (!import_parse_esx_version(icsv_get(t, i, VI_API), &api) ||
	    (ec->vcenter_version && api >= ec->vcenter_version))
		return;
	snprintf(about, sizeof(about), "%s%s%s, VI SDK API Version %s (vInfo)",
	         ec->server ? "'" : "", ec->server ? irow_snip(sn, sizeof(sn), ec->server) : "",
	         ec->server ? "'" : "", icsv_get(t, i, VI_API));
	ec->vcenter_version = api;
	ec->vcenter_about = keep(r, about[0] == ',' ? about + 2 : about);
}

static void rv_vms(struct reader *r, const struct icsv_table *t, bool hosts_given)
{
	char sn[80];
	/* Each row adds at most one VM to the estate, which has none before. */
	r->vm_row = malloc((t->nrows + 1) * sizeof(size_t));
	if (!r->vm_row) {
		r->oom = true;
		return;
	}
	size_t nrows = rows_to_read(r, t, VI_VM, VI_POWER);
	for (size_t i = 0; i < nrows && !r->oom; i++) {
		bool bad;
		if (!rv_vm_wanted(r, t, i, &bad))
			continue;
		const char *name;
		long cpus;
		double mem;
		enum scenario_power power;
		bool ok = get_name(r, t, i, VI_VM, "VM", &name);
		ok &= get_power(r, t, i, VI_POWER, "poweredOn, poweredOff or suspended", &power);
		ok &= get_count(r, t, i, VI_CPUS, SCENARIO_MAX_VCPUS, "vCPUs", &cpus);
		ok &= get_memory(r, t, i, VI_MEMORY, true, "the VM's", &mem);
		int ft = import_ft_state(icsv_get(t, i, VI_FT_STATE));
		if (ft < 0) {
			irow_error(
			    r->log, t, i, VI_FT_STATE,
			    "expected notConfigured, disabled, enabled, running, starting or "
			    "needSecondary (got '%s')",
			    irow_snip(sn, sizeof(sn), icsv_get(t, i, VI_FT_STATE)));
			ok = false;
		}
		if (!ok || bad)
			continue;
		const char *server = r->use_server ? icsv_get(t, i, VI_SERVER) : "";
		const char *host = icsv_get(t, i, VI_HOST);
		const char *cluster = icsv_get(t, i, VI_CLUSTER);
		size_t hn, cn;
		import_trimmed(host, &hn);
		import_trimmed(cluster, &cn);
		if (hn == 0 && cn == 0) {
			r->res->skipped_homeless++;
			continue;
		}
		const char *dc = r->use_dc ? icsv_get(t, i, VI_DATACENTER) : "";
		bool by_name = false;
		long c, h = hosts_given && hn > 0 ? find_host_vm(r, server, host, &by_name) : -1;
		r->vm_rows_with_host += hosts_given && hn > 0;
		if (h >= 0) {
			/* The host export says which cluster the host is in: the VM is there. */
			c = (long)r->e->hosts[h].cluster;
			r->vm_rows_matched++;
			if (by_name && !r->by_name++)
				r->ex_by_name_vm = keep(r, name);
			/* Compared by name: the two files may spell the server differently. */
			const struct iestate_cluster *hc = &r->e->clusters[c];
			bool moved = cn == 0 ? !hc->standalone
			                     : !import_word_eq(import_trimmed(cluster, &cn), cn, hc->name);
			if (moved && !r->moved++)
				r->ex_moved_vm = keep(r, name);
		} else {
			c = get_cluster(r, server, dc, cluster, host);
			if (c < 0)
				return;
			h = vm_host(r, hosts_given, server, host, c, name);
		}
		vm_api_version(r, t, i, (size_t)c);
		struct iestate_vm vm = {
		    .name = keep(r, name),
		    .cluster = (size_t)c,
		    .host = h,
		    .vcpus = (int)cpus,
		    .memory_gb = mem,
		    .power = power,
		    .ft = ft == 1,
		};
		if (r->oom)
			return;
		long v = iestate_add_vm(r->e, &vm);
		if (v < 0) {
			r->oom = true;
			return;
		}
		r->vm_row[v] = i;
	}
}

/* Which VM rows of vInfo the estate's VMs came from, to join other files to them. */
struct join {
	struct imap *map;   /* key -> first VM */
	struct imap *alone; /* by_server: the key without the server -> its VM, or IROW_AMBIGUOUS */
	long *next;         /* per VM: the next VM with the same key, or -1 */
	bool by_id;
	bool by_server;
	long by_alone; /* rows found through alone: the servers differ */
};

/*
 * The join key of a row of t: (server in lower case, VM ID or VM name),
 * as the join has them; without the server when !with_server.
 */
static char *join_key_of(const struct join *j, const struct icsv_table *t, size_t row,
                         size_t t_vm, size_t t_id, size_t t_server, bool with_server)
{
	char *k = key_join(j->by_server && with_server ? icsv_get(t, row, t_server) : "",
	                   icsv_get(t, row, j->by_id ? t_id : t_vm), NULL);
	for (char *p = k; p && *p != '\x1f'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return k;
}

static char *join_key(const struct join *j, const struct icsv_table *t, size_t row, size_t t_vm,
                      size_t t_id, size_t t_server)
{
	return join_key_of(j, t, row, t_vm, t_id, t_server, true);
}

/*
 * Sets the flag (directpath or shared_disk, by offset) on the VMs that
 * rows of t with a true flag name. vinfo gives each VM's key: vm_row[v]
 * is its vInfo row.
 */
static int join_build(struct join *j, const struct iestate *e, const struct icsv_table *vinfo,
                      const size_t *vm_row, const struct icsv_table *t, size_t t_id,
                      size_t t_server)
{
	j->by_id = icsv_has(vinfo, VI_VMID) && icsv_has(t, t_id);
	j->by_server = icsv_has(vinfo, VI_SERVER) && icsv_has(t, t_server);
	j->map = imap_new();
	j->alone = imap_new();
	j->next = malloc((e->nvms + 1) * sizeof(long));
	if (!j->map || !j->alone || !j->next)
		return -ENOMEM;
	for (size_t v = e->nvms; v-- > 0;) {
		char *key = join_key(j, vinfo, vm_row[v], VI_VM, VI_VMID, VI_SERVER);
		char *k2 = j->by_server
		               ? join_key_of(j, vinfo, vm_row[v], VI_VM, VI_VMID, VI_SERVER, false)
		               : NULL;
		int rc = -ENOMEM;
		if (key && (k2 || !j->by_server)) {
			j->next[v] = imap_get(j->map, key);
			rc = imap_put(j->map, key, (long)v);
			if (rc == 0 && k2) {
				long old = imap_get(j->alone, k2);
				rc = imap_put(j->alone, k2, old >= 0 ? IROW_AMBIGUOUS : (long)v);
			}
		}
		free(key);
		free(k2);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void join_free(struct join *j)
{
	imap_free(j->map);
	imap_free(j->alone);
	free(j->next);
}

/* The first VM of the row's key, or -1; -2 when memory runs out. */
static long join_find(struct join *j, const struct icsv_table *t, size_t row, size_t t_vm,
                      size_t t_id, size_t t_server)
{
	char *key = join_key(j, t, row, t_vm, t_id, t_server);
	if (!key)
		return -2;
	long v = imap_get(j->map, key);
	free(key);
	if (v >= 0 || !j->by_server)
		return v;
	/* Another spelling of the server (an IP, an empty column): the VM ID
	 * or name alone, when one VM only has it. */
	key = join_key_of(j, t, row, t_vm, t_id, t_server, false);
	if (!key)
		return -2;
	v = imap_get(j->alone, key);
	free(key);
	if (v == IROW_AMBIGUOUS)
		return -1;
	j->by_alone += v >= 0;
	return v;
}

/*
 * A vNetwork Adapter that passes a device through: "SR-IOV" (RVTools' name
 * of VirtualSriovEthernetCard) or "PCIPassthru" (VirtualPCIPassthrough),
 * any case and punctuation. Returns its description, or NULL for an
 * emulated NIC (Vmxnet3, E1000e, ...).
 */
static const char *adapter_passthrough(const char *adapter)
{
	char w[40];
	size_t n = 0;
	for (const char *p = adapter; *p && n + 1 < sizeof(w); p++)
		if (is_alnum(*p))
			w[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	w[n] = '\0';
	static const char *const sriov[] = {"sriov", "sriovethernetcard", "virtualsriovethernetcard"};
	static const char *const pci[] = {"pcipassthru", "pcipassthrough", "virtualpcipassthrough",
	                                  "passthrough", "directpath"};
	for (size_t i = 0; i < sizeof(sriov) / sizeof(sriov[0]); i++)
		if (!strcmp(w, sriov[i]))
			return "vNetwork: an SR-IOV NIC";
	for (size_t i = 0; i < sizeof(pci) / sizeof(pci[0]); i++)
		if (!strcmp(w, pci[i]))
			return "vNetwork: a PCI passthrough NIC";
	return NULL;
}

/* Sharing mode / Shared Bus of a vDisk row: 1 shared, 0 not, -1 unknown word. */
static int disk_shared(const char *mode, const char *bus)
{
	int m = import_is_word(mode, "sharingMultiWriter")                 ? 1
	        : import_is_word(mode, "sharingNone") || import_is_word(mode, "") ? 0
	                                                            : -1;
	bool b;
	int s = import_is_word(bus, "physicalSharing") || import_is_word(bus, "virtualSharing") ? 1
	        : import_is_word(bus, "noSharing")                                       ? 0
	        : import_parse_bool(bus, &b)                                      ? b
	                                                                          : -1;
	if (m < 0 || s < 0)
		return -1;
	return m || s;
}

/* vNetwork (network) or vDisk (!network): sets directpath or shared_disk. */
static void rv_flags(struct reader *r, const struct icsv_table *vinfo, const size_t *vm_row,
                     const struct icsv_table *t, bool network, long *flagged)
{
	char sn[80];
	size_t c_vm = network ? VN_VM : VD_VM, c_id = network ? VN_VMID : VD_VMID;
	size_t c_server = network ? VN_SERVER : VD_SERVER;
	size_t c_template = network ? VN_TEMPLATE : VD_TEMPLATE;
	struct join j = {0};
	if (join_build(&j, r->e, vinfo, vm_row, t, c_id, c_server) < 0) {
		r->oom = true;
		goto out_free_join;
	}
	long unmatched = 0;
	const char *ex = NULL;
	for (size_t i = 0; i < t->nrows; i++) {
		bool template, on;
		const char *why = NULL;
		if (!irow_get_bool(r->log, t, i, c_template, &template))
			continue;
		if (network) {
			why = adapter_passthrough(icsv_get(t, i, VN_ADAPTER));
			on = why != NULL;
		} else {
			int s = disk_shared(icsv_get(t, i, VD_SHARING), icsv_get(t, i, VD_BUS));
			if (s < 0) {
				bool mode_bad = disk_shared(icsv_get(t, i, VD_SHARING), "") < 0;
				size_t col = mode_bad ? VD_SHARING : VD_BUS;
				irow_error(r->log, t, i, col, "expected %s (got '%s')",
				           mode_bad
				               ? "sharingNone or sharingMultiWriter"
				               : "noSharing, physicalSharing or virtualSharing",
				           irow_snip(sn, sizeof(sn), icsv_get(t, i, col)));
				continue;
			}
			on = s == 1;
		}
		if (!on || template)
			continue;
		long v = join_find(&j, t, i, c_vm, c_id, c_server);
		if (v == -2) {
			r->oom = true;
			break;
		}
		if (v < 0 && !unmatched++)
			ex = icsv_get(t, i, c_vm);
		for (; v >= 0; v = j.next[v]) {
			struct iestate_vm *vm = &r->e->vms[v];
			bool *flag = network ? &vm->directpath : &vm->shared_disk;
			*flag = true;
			if (why)
				vm->about = why;
		}
	}
	for (size_t v = 0; v < r->e->nvms; v++)
		*flagged += network ? r->e->vms[v].directpath : r->e->vms[v].shared_disk;
	if (j.by_alone)
		ilog_warn(r->log,
		          "%s: %ld row%s found %s VM by its %s alone: the VI SDK Server columns "
		          "differ from vInfo's",
		          t->file, j.by_alone, j.by_alone == 1 ? "" : "s",
		          j.by_alone == 1 ? "its" : "their", j.by_id ? "VM ID" : "name");
	if (unmatched)
		ilog_warn(r->log,
		          "%s: %ld row%s with %s find%s no single imported VM (e.g. '%s'): ignored",
		          t->file, unmatched, unmatched == 1 ? "" : "s",
		          network ? "an SR-IOV or passthrough NIC" : "a shared disk",
		          unmatched == 1 ? "s" : "", irow_snip(sn, sizeof(sn), ex));
out_free_join:
	join_free(&j);
}

/* ---- PowerCLI ------------------------------------------------------------------------ */

enum { PV_NAME, PV_POWER, PV_CPUS, PV_MEMGB, PV_MEMMB, PV_HOST, PV_N };

static const struct icsv_column pvm_cols[PV_N] = {
    [PV_NAME] = {"Name", true},       [PV_POWER] = {"PowerState", true},
    [PV_CPUS] = {"NumCpu", true},     [PV_MEMGB] = {"MemoryGB", false},
    [PV_MEMMB] = {"MemoryMB", false}, [PV_HOST] = {"VMHost", true},
};

enum { PH_NAME, PH_CPUS, PH_MEMGB, PH_MEMMB, PH_VERSION, PH_BUILD, PH_PARENT, PH_N };

static const struct icsv_column phost_cols[PH_N] = {
    [PH_NAME] = {"Name", true},
    [PH_CPUS] = {"NumCpu", true},
    [PH_MEMGB] = {"MemoryTotalGB", false},
    [PH_MEMMB] = {"MemoryTotalMB", false},
    [PH_VERSION] = {"Version", true},
    [PH_BUILD] = {"Build", false},
    [PH_PARENT] = {"Parent", true},
};

/* One of two memory columns must be there: an error naming both otherwise. */
static bool need_one_of(struct reader *r, const struct icsv_table *t, size_t a, size_t b,
                        const char *what)
{
	if (icsv_has(t, a) || icsv_has(t, b))
		return true;
	ilog_error(r->log, "%s:%lu: error: no column '%s' nor '%s' in the header (%s has one)",
	           t->file, (unsigned long)t->header_line, t->col_name[a], t->col_name[b], what);
	return false;
}

static void pc_hosts(struct reader *r, const struct icsv_table *t)
{
	bool gb = icsv_has(t, PH_MEMGB);
	for (size_t i = 0; i < t->nrows && !r->oom; i++) {
		const char *name;
		long cores;
		double mem;
		uint32_t ver;
		bool ok = get_name(r, t, i, PH_NAME, "host", &name);
		ok &= get_count(r, t, i, PH_CPUS, SCENARIO_MAX_CORES, "cores", &cores);
		ok &= get_memory(r, t, i, gb ? PH_MEMGB : PH_MEMMB, !gb, "the host's", &mem);
		ok &= get_version(r, t, i, PH_VERSION, "8.0.3", &ver);
		if (!ok)
			continue;
		struct iestate_host h = {
		    .name = name,
		    .cores = (int)cores,
		    .memory_gb = mem,
		    .version = ver,
		};
		/* A standalone host's Parent is its datacenter's hidden folder "host". */
		const char *parent = icsv_get(t, i, PH_PARENT);
		add_listed_host(r, "", "", import_is_word(parent, "host") ? "" : parent, &h);
	}
}

static void pc_vms(struct reader *r, const struct icsv_table *t, bool hosts_given)
{
	bool gb = icsv_has(t, PV_MEMGB);
	long one = -1; /* the single cluster without a hosts file */
	for (size_t i = 0; i < t->nrows && !r->oom; i++) {
		const char *name;
		long cpus;
		double mem;
		enum scenario_power power;
		bool ok = get_name(r, t, i, PV_NAME, "VM", &name);
		ok &= get_power(r, t, i, PV_POWER, "PoweredOn, PoweredOff or Suspended", &power);
		ok &= get_count(r, t, i, PV_CPUS, SCENARIO_MAX_VCPUS, "vCPUs", &cpus);
		ok &= get_memory(r, t, i, gb ? PV_MEMGB : PV_MEMMB, !gb, "the VM's", &mem);
		if (!ok)
			continue;
		const char *host = icsv_get(t, i, PV_HOST);
		long c, h = -1;
		if (hosts_given) {
			h = find_host(r, "", host);
			if (h < 0) {
				unknown_host(r, name, host);
				r->res->skipped_homeless++;
				continue;
			}
			c = (long)r->e->hosts[h].cluster;
		} else {
			if (one < 0)
				one = get_cluster(r, "", "", "imported", "");
			if ((c = one) < 0)
				return;
			h = vm_host(r, false, "", host, c, name);
		}
		struct iestate_vm vm = {
		    .name = keep(r, name),
		    .cluster = (size_t)c,
		    .host = h,
		    .vcpus = (int)cpus,
		    .memory_gb = mem,
		    .power = power,
		};
		if (!r->oom && iestate_add_vm(r->e, &vm) < 0)
			r->oom = true;
	}
}

/* ---- the import ---------------------------------------------------------------------- */

static const char *delim_name(char d)
{
	return d == ';' ? "semicolon-separated" : d == '\t' ? "tab-separated" : "comma-separated";
}

/* Header notes: one line per source and the mapping; strings in r's estate. */
struct notes {
	const char *v[32];
	size_t n;
};

static void note(struct reader *r, struct notes *ns, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void note(struct reader *r, struct notes *ns, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (ns->n < sizeof(ns->v) / sizeof(ns->v[0]))
		ns->v[ns->n++] = keep(r, buf);
}

/* Notes each of lines (NULL-terminated) as it is. */
static void note_lines(struct reader *r, struct notes *ns, const char *const *lines)
{
	for (; *lines; lines++)
		note(r, ns, "%s", *lines);
}

static void note_file(struct reader *r, struct notes *ns, const char *label,
                      const struct icsv_table *t, const char *what)
{
	note(r, ns, "  %-10s %s (%s, %s%s): %zu row%s%s%s", label, t->file, delim_name(t->delim),
	     icsv_encoding_name(t->encoding), t->type_line ? ", #TYPE line skipped" : "", t->nrows,
	     t->nrows == 1 ? "" : "s", what ? "; " : "", what ? what : "");
}

/* Reads one file into *t; false when it could not be read as CSV or lacks a column. */
static bool read_table(struct reader *r, const struct import_file *f, const char *what,
                       const struct icsv_column *cols, size_t ncols, struct icsv_table **t)
{
	return irow_read(f, what, cols, ncols, r->log, &r->oom, t);
}

static void reader_warnings(struct reader *r, const char *hosts_file)
{
	char a[80], b[80];
	if (r->duplicate_hosts)
		ilog_warn(
		    r->log, "%s lists %ld host%s more than once (e.g. '%s'): the first row is used",
		    hosts_file, r->duplicate_hosts, r->duplicate_hosts == 1 ? "" : "s",
		    irow_snip(a, sizeof(a), r->ex_duplicate_host ? r->ex_duplicate_host : "?"));
	if (r->unknown_host)
		ilog_warn(r->log, "%ld VM%s on %s that %s does not list (e.g. '%s' on '%s'): %s",
		          r->unknown_host, r->unknown_host == 1 ? " is" : "s are",
		          r->unknown_host == 1 ? "a host" : "hosts", hosts_file,
		          irow_snip(a, sizeof(a), r->ex_unknown_vm ? r->ex_unknown_vm : "?"),
		          irow_snip(b, sizeof(b), r->ex_unknown_host ? r->ex_unknown_host : "?"),
		          r->rq->format == IMPORT_POWERCLI ? "left out (no known cluster)"
		                                           : "not pinned");
	if (r->other_cluster)
		ilog_warn(r->log,
		          "%ld VM%s on %s that the VM export also shows in another cluster (e.g. "
		          "'%s'): not pinned",
		          r->other_cluster, r->other_cluster == 1 ? " is" : "s are",
		          r->other_cluster == 1 ? "a host" : "hosts",
		          irow_snip(a, sizeof(a), r->ex_other_vm ? r->ex_other_vm : "?"));
	if (r->moved)
		ilog_warn(
		    r->log,
		    "%ld VM%s another cluster than %s host in %s (e.g. '%s'): the host's is used",
		    r->moved, r->moved == 1 ? " names" : "s name", r->moved == 1 ? "its" : "their",
		    hosts_file, irow_snip(a, sizeof(a), r->ex_moved_vm ? r->ex_moved_vm : "?"));
	if (r->by_name)
		ilog_warn(r->log,
		          "%ld VM%s found %s host in %s by its name alone (e.g. '%s'): the VI SDK "
		          "Server columns differ (an IP address against a name, another case, or "
		          "empty)",
		          r->by_name, r->by_name == 1 ? "" : "s", r->by_name == 1 ? "its" : "their",
		          hosts_file,
		          irow_snip(a, sizeof(a), r->ex_by_name_vm ? r->ex_by_name_vm : "?"));
	if (r->maintenance)
		ilog_warn(r->log,
		          "%ld host%s in maintenance mode in %s (e.g. '%s'): written as %s (the "
		          "format has no maintenance state; %s comment says so)",
		          r->maintenance, r->maintenance == 1 ? " is" : "s are", hosts_file,
		          irow_snip(a, sizeof(a), r->ex_maintenance ? r->ex_maintenance : "?"),
		          r->maintenance == 1 ? "an ordinary host" : "ordinary hosts",
		          r->maintenance == 1 ? "its" : "their");
	if (r->quarantine)
		ilog_warn(r->log,
		          "%ld host%s in quarantine mode in %s: written as %s (DRS avoids placing "
		          "VMs on %s; the format has no such state)",
		          r->quarantine, r->quarantine == 1 ? " is" : "s are", hosts_file,
		          r->quarantine == 1 ? "an ordinary host" : "ordinary hosts",
		          r->quarantine == 1 ? "it" : "them");
	if (r->res->skipped_homeless && r->rq->format == IMPORT_RVTOOLS)
		ilog_warn(r->log, "%ld VM%s neither a cluster nor a host in %s: left out",
		          r->res->skipped_homeless,
		          r->res->skipped_homeless == 1 ? " has" : "s have", r->rq->vms.name);
}

/*
 * The distinct values of column col of t, quoted and comma-separated,
 * at most 4 then "and N more", into buf; "no VI SDK Server column" when
 * t lacks it.
 */
static void values_seen(const struct icsv_table *t, size_t col, char *buf, size_t size)
{
	char sn[80];
	const char *shown[4];
	size_t nshown = 0, more = 0, o = 0;
	buf[0] = '\0';
	if (!icsv_has(t, col)) {
		snprintf(buf, size, "no %s column", t->col_name[col]);
		return;
	}
	for (size_t i = 0; i < t->nrows; i++) {
		const char *v = icsv_get(t, i, col);
		bool seen = false;
		for (size_t k = 0; k < nshown && !seen; k++)
			seen = !strcmp(shown[k], v);
		if (seen)
			continue;
		if (nshown == 4) {
			more++; /* an upper bound: repeats past the 4 shown count again */
			continue;
		}
		shown[nshown++] = v;
		int m = snprintf(buf + o, size - o, "%s'%s'", o ? ", " : "",
		                 irow_snip(sn, sizeof(sn), v));
		if (m < 0 || (size_t)m >= size - o)
			return;
		o += (size_t)m;
	}
	if (more && o < size)
		snprintf(buf + o, size - o, " and others");
}

/* No VM row's host is in the host export: an error naming what each file holds. */
static void no_host_matched(struct reader *r, const struct icsv_table *vi,
                            const struct icsv_table *vh)
{
	char a[500], b[500], h1[80], h2[80];
	values_seen(vi, VI_SERVER, a, sizeof(a));
	values_seen(vh, VH_SERVER, b, sizeof(b));
	ilog_error(r->log,
	           "%s: error: no VM's host is in %s (e.g. '%s' here, '%s' there): are they "
	           "exports of the same vCenter? VI SDK Server in %s: %s; in %s: %s",
	           vi->file, vh->file,
	           irow_snip(h1, sizeof(h1), vi->nrows ? icsv_get(vi, 0, VI_HOST) : ""),
	           irow_snip(h2, sizeof(h2), vh->nrows ? icsv_get(vh, 0, VH_HOST) : ""), vi->file,
	           a, vh->file, b);
}

/* The RVTools header's mapping lines. */
static const char *const rvtools_mapping[] = {
    "Mapping: vInfo CPUs -> vcpus; Memory (MiB) / 1024 -> memory_gb; Powerstate -> "
    "power;",
    "  FT State running, enabled, starting or needSecondary -> ft; vHost # Cores ->",
    "  cores; # Memory (MiB) / 1024 -> memory_gb; ESX Version -> version (its build",
    "  in a comment); vCPUs per Core -> cpu_overcommit; vNetwork Adapter SR-IOV or",
    "  PCIPassthru -> directpath (its Direct Path IO column is Vmxnet3's UPT flag,",
    "  not passthrough: not read); vDisk sharingMultiWriter or a shared SCSI bus ->",
    "  shared_disk. One cluster per (vCenter, datacenter, Cluster); a host without",
    "  a cluster is a cluster of its own, named after it.",
    "Not in an RVTools export: PCI passthrough devices other than NICs (GPUs,",
    "  HBAs, NVMe) and NVIDIA vGPUs: set directpath: true on the VMs that have",
    "  them (lpsim's nearest flag: neither can be fast-suspend-resumed).",
    NULL,
};

static int rvtools(struct reader *r, struct notes *ns)
{
	const struct import_request *rq = r->rq;
	struct icsv_table *vi = NULL, *vh = NULL, *vn = NULL, *vd = NULL;
	bool ok = read_table(r, &rq->vms, "an RVTools vInfo export", vinfo_cols, VI_N, &vi);
	ok &= read_table(r, &rq->hosts, "an RVTools vHost export", vhost_cols, VH_N, &vh);
	ok &= read_table(r, &rq->network, "an RVTools vNetwork export", vnetwork_cols, VN_N, &vn);
	ok &= read_table(r, &rq->disks, "an RVTools vDisk export", vdisk_cols, VD_N, &vd);
	if (vd && !icsv_has(vd, VD_SHARING) && !icsv_has(vd, VD_BUS)) {
		ilog_error(
		    r->log,
		    "%s:%lu: error: no column 'Sharing mode' nor 'Shared Bus' in the header (an "
		    "RVTools vDisk export has them)",
		    vd->file, (unsigned long)vd->header_line);
		ok = false;
	}
	if (!ok || r->oom)
		goto out_free;
	/* Keys use what both files tell: a trimmed vHost must still match vInfo. */
	r->use_server = icsv_has(vi, VI_SERVER) && (!vh || icsv_has(vh, VH_SERVER));
	r->use_dc = icsv_has(vi, VI_DATACENTER) && (!vh || icsv_has(vh, VH_DATACENTER));
	if (vh)
		rv_hosts(r, vh);
	rv_vms(r, vi, vh != NULL);
	if (r->oom || ilog_failed(r->log))
		goto out_free;
	if (vh && r->vm_rows_with_host && !r->vm_rows_matched) {
		no_host_matched(r, vi, vh);
		goto out_free;
	}
	long directpath = 0, shared = 0;
	if (vn)
		rv_flags(r, vi, r->vm_row, vn, true, &directpath);
	if (vd)
		rv_flags(r, vi, r->vm_row, vd, false, &shared);
	if (r->oom || ilog_failed(r->log))
		goto out_free;
	struct irv_notes tabs;
	int rc = irv_apply(rq, r->e, r->log, &tabs);
	if (rc == -ENOMEM)
		r->oom = true;
	if (rc < 0)
		goto out_free;

	char skipped[400];
	snprintf(skipped, sizeof(skipped), "%zu VM%s imported", r->e->nvms,
	         r->e->nvms == 1 ? "" : "s");
	import_append_skipped(r->res, 0, skipped, sizeof(skipped));
	note(r, ns, "Source: RVTools export.");
	note_file(r, ns, "vInfo", vi, skipped);
	if (vh)
		note_file(r, ns, "vHost", vh, NULL);
	else
		note(r, ns,
		     "  vHost      not given: hosts inferred from vInfo's Host column, sizes "
		     "guessed");
	char what[96];
	if (vn) {
		snprintf(what, sizeof(what), "%ld VM%s with an SR-IOV or PCI passthrough NIC",
		         directpath, directpath == 1 ? "" : "s");
		note_file(r, ns, "vNetwork", vn, what);
	} else {
		note(r, ns, "  vNetwork   not given: no VM is marked directpath");
	}
	if (vd) {
		snprintf(what, sizeof(what), "%ld VM%s with shared disks", shared,
		         shared == 1 ? "" : "s");
		note_file(r, ns, "vDisk", vd, what);
	} else {
		note(r, ns, "  vDisk      not given: no VM is marked shared_disk");
	}
	for (size_t i = 0; i < tabs.n; i++)
		note(r, ns, "%s", tabs.line[i]);
	if (!rq->vcluster.data)
		note(r, ns, "  vCluster   not given: DRS and HA are lpsim's defaults");
	if (!rq->vdatastore.data)
		note(r, ns, "  vDatastore not given: vsan is lpsim's default (false)");
	note_lines(r, ns, rvtools_mapping);
	reader_warnings(r, vh ? vh->file : "vHost");
out_free:
	free(r->vm_row);
	r->vm_row = NULL;
	icsv_free(vi);
	icsv_free(vh);
	icsv_free(vn);
	icsv_free(vd);
	return r->oom ? -ENOMEM : ilog_failed(r->log) ? -EINVAL : 0;
}

/* The PowerCLI header's mapping lines. */
static const char *const powercli_mapping[] = {
    "Mapping: NumCpu -> vcpus; MemoryGB -> memory_gb; PowerState -> power;",
    "  hosts: NumCpu -> cores; MemoryTotalGB -> memory_gb; Version -> version;",
    "  Parent -> cluster (\"host\" or empty: a standalone host, a cluster of its",
    "  own). PowerCLI exports say nothing of FT, DirectPath I/O or shared disks:",
    "  set ft, directpath and shared_disk on the VMs that have them.",
    NULL,
};

static int powercli(struct reader *r, struct notes *ns)
{
	const struct import_request *rq = r->rq;
	struct icsv_table *vm = NULL, *vh = NULL;
	bool ok = read_table(r, &rq->vms, "a PowerCLI Get-VM export", pvm_cols, PV_N, &vm);
	ok &= read_table(r, &rq->hosts, "a PowerCLI Get-VMHost export", phost_cols, PH_N, &vh);
	if (vm)
		ok &= need_one_of(r, vm, PV_MEMGB, PV_MEMMB, "a PowerCLI Get-VM export");
	if (vh)
		ok &= need_one_of(r, vh, PH_MEMGB, PH_MEMMB, "a PowerCLI Get-VMHost export");
	if (!ok || r->oom)
		goto out_free;
	if (vh)
		pc_hosts(r, vh);
	pc_vms(r, vm, vh != NULL);
	if (r->oom || ilog_failed(r->log))
		goto out_free;
	char what[200];
	int n = snprintf(what, sizeof(what), "%zu VM%s imported", r->e->nvms,
	                 r->e->nvms == 1 ? "" : "s");
	if (r->res->skipped_homeless && n >= 0 && (size_t)n < sizeof(what))
		snprintf(what + n, sizeof(what) - (size_t)n,
		         "; not imported: %ld on hosts not in %s", r->res->skipped_homeless,
		         vh ? vh->file : "the hosts file");
	note(r, ns, "Source: PowerCLI Export-Csv.");
	note_file(r, ns, "Get-VM", vm, what);
	if (vh)
		note_file(r, ns, "Get-VMHost", vh, NULL);
	else
		note(r, ns,
		     "  Get-VMHost not given: one cluster 'imported', hosts inferred from "
		     "VMHost, sizes guessed");
	note_lines(r, ns, powercli_mapping);
	reader_warnings(r, vh ? vh->file : "the hosts file");
out_free:
	icsv_free(vm);
	icsv_free(vh);
	return r->oom ? -ENOMEM : ilog_failed(r->log) ? -EINVAL : 0;
}

int import_run(const struct import_request *rq, struct ilog *log, struct import_result *res)
{
	memset(res, 0, sizeof(*res));
	struct reader r = {.rq = rq, .log = log, .res = res};
	struct notes ns = {.n = 0};
	int rc = -ENOMEM;
	r.e = iestate_new();
	r.clusters = imap_new();
	r.hosts = imap_new();
	r.hosts_ci = imap_new();
	r.host_names = imap_new();
	r.host_short = imap_new();
	if (!r.e || !r.clusters || !r.hosts || !r.hosts_ci || !r.host_names || !r.host_short)
		goto out_free;
	rc = rq->format == IMPORT_RVTOOLS ? rvtools(&r, &ns) : powercli(&r, &ns);
	if (rc < 0) /* a note that could not be kept set r.oom: past here none is NULL */
		goto out_free;
	char desc[1024];
	const char *cmd =
	    rq->format == IMPORT_RVTOOLS ? "lpsim import rvtools" : "lpsim import powercli";
	int n = snprintf(desc, sizeof(desc), "Imported by %s from %s", cmd, rq->vms.name);
	const struct import_file *more[] = {&rq->hosts,    &rq->network,    &rq->disks,
	                                    &rq->vcluster, &rq->vdatastore, &rq->vsource};
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		if (more[i]->data && n >= 0 && (size_t)n < sizeof(desc))
			n += snprintf(desc + n, sizeof(desc) - (size_t)n, ", %s", more[i]->name);
	struct iestate_meta m = {
	    .command = cmd,
	    .scenario_name = rq->scenario_name,
	    .description = desc,
	    .notes = ns.v,
	    .nnotes = ns.n,
	    .input = rq->vms.name,
	};
	rc = iestate_write(r.e, &m, log, &res->yaml, &res->len, &res->stats);
out_free:
	imap_free(r.clusters);
	imap_free(r.hosts);
	imap_free(r.hosts_ci);
	imap_free(r.host_names);
	imap_free(r.host_short);
	iestate_free(r.e);
	if (rc < 0)
		import_result_fini(res);
	return rc;
}
