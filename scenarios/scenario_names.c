/*
 * scenario_names: duplicate names and name references, without keeping
 * expanded names. A namespace (the clusters of the scenario; the hosts,
 * or the VMs, of one cluster entry) is a list of entries (pattern, count).
 * One entry cannot repeat a name (a conversion formats distinct numbers
 * distinctly, and a pattern without one has count <= 1), so only names of
 * different entries can clash. All entries but the largest go into a hash
 * set of (entry, number) pairs, each name regenerated when compared; the
 * largest entry's names are looked up in it, and references are matched
 * against its pattern (scenario_name_match) instead. Memory is 12 bytes
 * per slot for all names but the largest entry's.
 *
 * A cluster entry with count N repeats the same host and VM names in each
 * copy, so each cluster entry is checked once.
 */
#include "scenarios/scenario_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct nameset {
	const char *const *pattern; /* per entry; NULL: the entry is skipped (bad name) */
	const long *count;          /* per entry */
	const struct diag_pos *pos; /* per entry */
	size_t nentries;
	size_t largest;   /* entry kept out of the table; nentries when none */
	bool incomplete;  /* some entry has a bad name: unknown references stay silent */
	uint64_t *slots;  /* (entry + 1) << 32 | number; 0 = empty */
	uint32_t *hashes; /* hash of the slot's name */
	size_t mask;
	size_t n;   /* names in the table */
	long *work; /* names expanded */
};

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static void nameset_expand(struct nameset *ns, size_t entry, long number, char *buf, size_t len)
{
	(*ns->work)++;
	if (scenario_name_expand(ns->pattern[entry], number, buf, len) < 0)
		buf[0] = '\0';
}

static int nameset_init(struct nameset *ns)
{
	uint64_t total = 0;
	long best = -1;
	ns->largest = ns->nentries;
	for (size_t e = 0; e < ns->nentries; e++) {
		if (!ns->pattern[e])
			ns->incomplete = true;
		if (!ns->pattern[e] || ns->count[e] <= 0)
			continue;
		total += (uint64_t)ns->count[e];
		if (ns->count[e] > best) {
			best = ns->count[e];
			ns->largest = e;
		}
	}
	if (ns->largest < ns->nentries)
		total -= (uint64_t)ns->count[ns->largest];
	size_t cap = 16;
	while (cap < total + total / 2 + 16)
		cap *= 2;
	ns->slots = calloc(cap, sizeof(*ns->slots));
	ns->hashes = calloc(cap, sizeof(*ns->hashes));
	ns->mask = cap - 1;
	if (!ns->slots || !ns->hashes)
		return -ENOMEM;
	return 0;
}

static void nameset_fini(struct nameset *ns)
{
	free(ns->slots);
	free(ns->hashes);
	ns->slots = NULL;
	ns->hashes = NULL;
}

/* The slot holding name, or 0. */
static uint64_t nameset_find(struct nameset *ns, const char *name, uint32_t h)
{
	char buf[SCENARIO_MAX_NAME_LEN + 1];
	for (size_t i = h & ns->mask;; i = (i + 1) & ns->mask) {
		uint64_t s = ns->slots[i];
		if (!s)
			return 0;
		if (ns->hashes[i] != h)
			continue;
		nameset_expand(ns, (size_t)(s >> 32) - 1, (long)(s & 0xffffffffu), buf,
		               sizeof(buf));
		if (!strcmp(buf, name))
			return s;
	}
}

static void nameset_put(struct nameset *ns, size_t entry, long number, uint32_t h)
{
	size_t i = h & ns->mask;
	while (ns->slots[i])
		i = (i + 1) & ns->mask;
	ns->slots[i] = ((uint64_t)(entry + 1) << 32) | (uint64_t)number;
	ns->hashes[i] = h;
	ns->n++;
}

/* Resolves a name to (entry, number); false when no entry makes it. */
static bool nameset_lookup(struct nameset *ns, const char *name, size_t *entry, long *number)
{
	uint64_t s = nameset_find(ns, name, name_hash(name));
	if (s) {
		*entry = (size_t)(s >> 32) - 1;
		*number = (long)(s & 0xffffffffu);
		return true;
	}
	size_t l = ns->largest;
	if (l < ns->nentries && scenario_name_match(ns->pattern[l], ns->count[l], name, number)) {
		(*ns->work)++;
		*entry = l;
		return true;
	}
	return false;
}

static void report_dup(struct diag *d, const struct nameset *ns, size_t a, size_t b,
                       const char *name, const char *what, const char *where)
{
	/* Report at the entry written later, naming the other. */
	size_t later = ns->pos[a].line > ns->pos[b].line || (ns->pos[a].line == ns->pos[b].line &&
	                                                     ns->pos[a].col > ns->pos[b].col)
	                   ? a
	                   : b;
	size_t other = later == a ? b : a;
	char n1[64];
	char n2[64];
	diag_error(d, ns->pos[later], "duplicate %s name '%s'%s (also made by '%s' at %lu:%lu)",
	           what, diag_snippet(n1, sizeof(n1), name, strlen(name)), where,
	           diag_snippet(n2, sizeof(n2), ns->pattern[other], strlen(ns->pattern[other])),
	           (unsigned long)ns->pos[other].line, (unsigned long)ns->pos[other].col);
}

/* Fills the table and reports duplicates (one per entry). */
static void nameset_check(struct nameset *ns, struct diag *d, const char *what, const char *where)
{
	char buf[SCENARIO_MAX_NAME_LEN + 1];
	for (size_t e = 0; e < ns->nentries; e++) {
		if (e == ns->largest || !ns->pattern[e])
			continue;
		bool reported = false;
		for (long i = 1; i <= ns->count[e]; i++) {
			nameset_expand(ns, e, i, buf, sizeof(buf));
			uint32_t h = name_hash(buf);
			uint64_t s = nameset_find(ns, buf, h);
			if (s) {
				if (!reported)
					report_dup(d, ns, (size_t)(s >> 32) - 1, e, buf, what,
					           where);
				reported = true;
				continue;
			}
			nameset_put(ns, e, i, h);
		}
	}
	size_t l = ns->largest;
	/* An empty table has nothing to clash with: a lone entry of 20,000,000 VMs
	 * (the limit) would otherwise cost 20 million expansions for nothing. */
	if (l == ns->nentries || ns->n == 0)
		return;
	bool *reported = calloc(ns->nentries, sizeof(*reported));
	for (long i = 1; i <= ns->count[l]; i++) {
		nameset_expand(ns, l, i, buf, sizeof(buf));
		uint64_t s = nameset_find(ns, buf, name_hash(buf));
		if (!s)
			continue;
		size_t other = (size_t)(s >> 32) - 1;
		if (reported && reported[other])
			continue;
		report_dup(d, ns, other, l, buf, what, where);
		if (!reported)
			break;
		reported[other] = true;
	}
	free(reported);
}

/* "esx-%02d (1..16)", up to three entries, for "unknown host" messages. */
static void nameset_describe(const struct nameset *ns, char *buf, size_t len)
{
	size_t o = 0;
	size_t shown = 0;
	buf[0] = '\0';
	for (size_t e = 0; e < ns->nentries && o < len; e++) {
		if (!ns->pattern[e] || ns->count[e] <= 0)
			continue;
		if (shown == 3) {
			snprintf(buf + o, len - o, ", ...");
			return;
		}
		char snip[64];
		diag_snippet(snip, sizeof(snip), ns->pattern[e], strlen(ns->pattern[e]));
		int w;
		if (ns->count[e] > 1)
			w = snprintf(buf + o, len - o, "%s%s for 1..%ld", shown ? ", " : "", snip,
			             ns->count[e]);
		else
			w = snprintf(buf + o, len - o, "%s%s", shown ? ", " : "", snip);
		if (w < 0)
			return;
		o += (size_t)w;
		shown++;
	}
}

static int check_cluster(struct scenario_cluster *cl, struct diag *d, long *work)
{
	int rc = 0;
	char where[128];
	char snip[64];
	if (cl->name)
		snprintf(where, sizeof(where), " in cluster '%s'",
		         diag_snippet(snip, sizeof(snip), cl->name, strlen(cl->name)));
	else
		where[0] = '\0';

	const char **hpat = calloc(cl->nhosts + 1, sizeof(*hpat));
	long *hcount = calloc(cl->nhosts + 1, sizeof(*hcount));
	struct diag_pos *hpos = calloc(cl->nhosts + 1, sizeof(*hpos));
	const char **vpat = calloc(cl->nvms + 1, sizeof(*vpat));
	long *vcount = calloc(cl->nvms + 1, sizeof(*vcount));
	struct diag_pos *vpos = calloc(cl->nvms + 1, sizeof(*vpos));
	struct nameset hosts = {0};
	struct nameset vms = {0};
	if (!hpat || !hcount || !hpos || !vpat || !vcount || !vpos) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (size_t i = 0; i < cl->nhosts; i++) {
		hpat[i] = cl->hosts[i].name;
		hcount[i] = cl->hosts[i].count;
		hpos[i] = cl->hosts[i].pos;
	}
	for (size_t i = 0; i < cl->nvms; i++) {
		vpat[i] = cl->vms[i].name;
		vcount[i] = cl->vms[i].count;
		vpos[i] = cl->vms[i].pos;
	}
	hosts.pattern = hpat;
	hosts.count = hcount;
	hosts.pos = hpos;
	hosts.nentries = cl->nhosts;
	hosts.work = work;
	vms.pattern = vpat;
	vms.count = vcount;
	vms.pos = vpos;
	vms.nentries = cl->nvms;
	vms.work = work;
	if (nameset_init(&hosts) || nameset_init(&vms)) {
		rc = -ENOMEM;
		goto out_free;
	}
	nameset_check(&hosts, d, "host", where);
	nameset_check(&vms, d, "VM", where);

	for (size_t i = 0; i < cl->nvms; i++) {
		struct scenario_vm *vm = &cl->vms[i];
		if (!vm->host)
			continue;
		size_t entry;
		long number;
		if (nameset_lookup(&hosts, vm->host, &entry, &number)) {
			vm->pin_entry = (long)entry;
			vm->pin_number = number;
			continue;
		}
		if (hosts.incomplete)
			continue;
		char list[200];
		nameset_describe(&hosts, list, sizeof(list));
		diag_error(d, vm->host_pos, "unknown host '%s'%s (its hosts: %s)",
		           diag_snippet(snip, sizeof(snip), vm->host, strlen(vm->host)), where,
		           list);
	}
	for (size_t r = 0; r < cl->nrules; r++) {
		struct scenario_rule *rule = &cl->rules[r];
		for (size_t k = 0; k < rule->nvms; k++) {
			size_t entry;
			long number;
			if (nameset_lookup(&vms, rule->vm_names[k], &entry, &number)) {
				rule->vms[k].entry = entry;
				rule->vms[k].number = number;
				continue;
			}
			if (vms.incomplete)
				continue;
			diag_error(d, rule->vm_pos[k], "unknown VM '%s'%s",
			           diag_snippet(snip, sizeof(snip), rule->vm_names[k],
			                        strlen(rule->vm_names[k])),
			           where);
		}
	}
out_free:
	nameset_fini(&hosts);
	nameset_fini(&vms);
	free(hpat);
	free(hcount);
	free(hpos);
	free(vpat);
	free(vcount);
	free(vpos);
	return rc;
}

int scenario__check_names(struct scenario *s, struct diag *d, long *work)
{
	const char **pat = calloc(s->nclusters + 1, sizeof(*pat));
	long *count = calloc(s->nclusters + 1, sizeof(*count));
	struct diag_pos *pos = calloc(s->nclusters + 1, sizeof(*pos));
	struct nameset cls = {0};
	int rc = 0;
	if (!pat || !count || !pos) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (size_t i = 0; i < s->nclusters; i++) {
		pat[i] = s->clusters[i].name;
		count[i] = s->clusters[i].count;
		pos[i] = s->clusters[i].pos;
	}
	cls.pattern = pat;
	cls.count = count;
	cls.pos = pos;
	cls.nentries = s->nclusters;
	cls.work = work;
	if (nameset_init(&cls)) {
		rc = -ENOMEM;
		goto out_free;
	}
	nameset_check(&cls, d, "cluster", "");
	for (size_t i = 0; i < s->nclusters && !rc; i++)
		rc = check_cluster(&s->clusters[i], d, work);
out_free:
	nameset_fini(&cls);
	free(pat);
	free(count);
	free(pos);
	return rc;
}
