/*
 * estate: expansion of a scenario into flat arrays, and initial placement.
 *
 * Placement (SCENARIO.md): VMs in inventory order, each on the host with
 * the most free memory where it fits (memory, and vCPUs within cores x
 * cpu_overcommit), ties to the earliest host. A `host:` pin allows only
 * that host; a vm_affinity rule with a member already placed allows only
 * that member's host; a vm_anti_affinity rule forbids its members' hosts.
 * An FT VM's secondary then goes, by the same rule, on a host other than
 * its primary's, and takes the same memory and vCPUs. Every VM counts,
 * whatever its power state: its host keeps room to power it on.
 *
 * The best host is found in a pool ordered by free vCPUs (pool_*, an AVL
 * tree), in O(log hosts) plus the hosts a VM's anti-affinity rules and FT
 * primary exclude, with exactly the choices (ties included) that scanning
 * every host made (tests/test_estate.c compares the two on random estates).
 */
#include "models/estate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A host in the pool: an AVL tree node (0 is no node). */
struct pool_node {
	uint32_t left, right;
	int height;    /* of its subtree, 1 for a leaf */
	uint32_t best; /* its subtree's node with the most free memory, earliest on ties */
};

/* Placement of one cluster entry, hosts and VMs numbered locally from 0. */
struct place {
	const struct scenario_cluster *c;
	size_t nhosts;
	size_t nvms;
	size_t *host_base; /* local index of each host entry's first host */
	size_t *vm_base;   /* local index of each VM entry's first VM */
	double *free_mem;  /* GB, per host */
	double *free_cpu;  /* vCPUs, per host */
	int32_t *host;     /* per VM: its host, -1 until placed */
	int32_t *secondary;
	size_t *rule_of;   /* CSR: rules of VM v are rule_idx[rule_of[v] .. rule_of[v+1]) */
	uint32_t *rule_idx;
	size_t *member_of; /* CSR: members of rule r are members[member_of[r] .. member_of[r+1]) */
	uint32_t *members;
	uint32_t *rule_pinned; /* per rule: 1 + its first placed pinned member, 0 if none */
	struct pool_node *pool; /* hosts by free vCPUs (see pool_*); node h + 1 is host h */
	uint32_t pool_root;
	uint32_t *out;          /* hosts taken out of the pool for one search */
	uint64_t *out_mark;     /* per host: the search that took it out */
	uint64_t search;        /* searches so far */
};

static void place_fini(struct place *p)
{
	free(p->host_base);
	free(p->vm_base);
	free(p->free_mem);
	free(p->free_cpu);
	free(p->host);
	free(p->secondary);
	free(p->rule_of);
	free(p->rule_idx);
	free(p->member_of);
	free(p->members);
	free(p->rule_pinned);
	free(p->pool);
	free(p->out);
	free(p->out_mark);
}

static size_t vm_local(const struct place *p, struct scenario_vm_ref r)
{
	return p->vm_base[r.entry] + (size_t)r.number - 1;
}

/*
 * The pool: every host of the entry in an AVL tree ordered by (free vCPUs,
 * index), each node holding the best host of its subtree by (most free
 * memory, earliest index). The best host with at least c free vCPUs is
 * then found in one walk from the root, O(log hosts), where scanning every
 * host made placement O(VMs x hosts). A host's free vCPUs and memory
 * change only while it is out of the pool (take() and the searches put it
 * back).
 */

/* Whether host a (a node, 0 none) has more free memory than b, or as much and comes first. */
static bool pool_better(const struct place *p, uint32_t a, uint32_t b)
{
	if (!a || !b)
		return a != 0;
	double ma = p->free_mem[a - 1], mb = p->free_mem[b - 1];
	return ma > mb || (ma == mb && a < b);
}

static int pool_cmp(const struct place *p, uint32_t a, uint32_t b)
{
	double ca = p->free_cpu[a - 1], cb = p->free_cpu[b - 1];
	if (ca != cb)
		return ca < cb ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int pool_height(const struct place *p, uint32_t i)
{
	return i ? p->pool[i].height : 0;
}

static void pool_fix(struct place *p, uint32_t i)
{
	struct pool_node *x = &p->pool[i];
	int l = pool_height(p, x->left), r = pool_height(p, x->right);
	x->height = (l > r ? l : r) + 1;
	x->best = i;
	if (x->left && pool_better(p, p->pool[x->left].best, x->best))
		x->best = p->pool[x->left].best;
	if (x->right && pool_better(p, p->pool[x->right].best, x->best))
		x->best = p->pool[x->right].best;
}

/* Rotates the subtree at i: its left child up (right) or its right child up. */
static uint32_t pool_rotate(struct place *p, uint32_t i, bool right)
{
	struct pool_node *x = &p->pool[i];
	uint32_t c = right ? x->left : x->right;
	struct pool_node *y = &p->pool[c];
	if (right) {
		x->left = y->right;
		y->right = i;
	} else {
		x->right = y->left;
		y->left = i;
	}
	pool_fix(p, i);
	pool_fix(p, c);
	return c;
}

static uint32_t pool_balance(struct place *p, uint32_t i)
{
	pool_fix(p, i);
	struct pool_node *x = &p->pool[i];
	int b = pool_height(p, x->left) - pool_height(p, x->right);
	if (b > 1) {
		const struct pool_node *l = &p->pool[x->left];
		if (pool_height(p, l->left) < pool_height(p, l->right))
			x->left = pool_rotate(p, x->left, false);
		return pool_rotate(p, i, true);
	}
	if (b < -1) {
		const struct pool_node *r = &p->pool[x->right];
		if (pool_height(p, r->right) < pool_height(p, r->left))
			x->right = pool_rotate(p, x->right, true);
		return pool_rotate(p, i, false);
	}
	return i;
}

static uint32_t pool_insert(struct place *p, uint32_t i, uint32_t n)
{
	if (!i) {
		p->pool[n] = (struct pool_node){0, 0, 1, n};
		return n;
	}
	if (pool_cmp(p, n, i) < 0)
		p->pool[i].left = pool_insert(p, p->pool[i].left, n);
	else
		p->pool[i].right = pool_insert(p, p->pool[i].right, n);
	return pool_balance(p, i);
}

/* Unlinks the first node below i into *min; returns the subtree's new root. */
static uint32_t pool_unlink_min(struct place *p, uint32_t i, uint32_t *min)
{
	if (!p->pool[i].left) {
		*min = i;
		return p->pool[i].right;
	}
	p->pool[i].left = pool_unlink_min(p, p->pool[i].left, min);
	return pool_balance(p, i);
}

static uint32_t pool_remove(struct place *p, uint32_t i, uint32_t n)
{
	if (!i)
		return 0;
	int c = pool_cmp(p, n, i);
	if (c < 0) {
		p->pool[i].left = pool_remove(p, p->pool[i].left, n);
	} else if (c > 0) {
		p->pool[i].right = pool_remove(p, p->pool[i].right, n);
	} else {
		uint32_t l = p->pool[i].left, r = p->pool[i].right, m;
		if (!r)
			return l;
		r = pool_unlink_min(p, r, &m);
		p->pool[m].left = l;
		p->pool[m].right = r;
		return pool_balance(p, m);
	}
	return pool_balance(p, i);
}

/* Puts host h (not in the pool) in, or takes it (in the pool) out. */
static void pool_put(struct place *p, uint32_t h)
{
	p->pool_root = pool_insert(p, p->pool_root, h + 1);
}

static void pool_take_out(struct place *p, uint32_t h)
{
	p->pool_root = pool_remove(p, p->pool_root, h + 1);
}

/* The best host in the pool with at least cpu vCPUs free; -1 when none. */
static int32_t pool_best(const struct place *p, double cpu)
{
	uint32_t best = 0, i = p->pool_root;
	while (i) {
		const struct pool_node *x = &p->pool[i];
		if (p->free_cpu[i - 1] >= cpu) {
			if (pool_better(p, i, best))
				best = i;
			if (x->right && pool_better(p, p->pool[x->right].best, best))
				best = p->pool[x->right].best;
			i = x->left;
		} else {
			i = x->right;
		}
	}
	return (int32_t)best - 1;
}

static int place_init(struct place *p, const struct scenario_cluster *c)
{
	memset(p, 0, sizeof(*p));
	p->c = c;
	p->nhosts = (size_t)c->hosts_each;
	p->nvms = (size_t)c->vms_each;
	size_t nmembers = 0;
	for (size_t r = 0; r < c->nrules; r++)
		nmembers += c->rules[r].nvms;
	p->host_base = calloc(c->nhosts + 1, sizeof(size_t));
	p->vm_base = calloc(c->nvms + 1, sizeof(size_t));
	p->free_mem = calloc(p->nhosts + 1, sizeof(double));
	p->free_cpu = calloc(p->nhosts + 1, sizeof(double));
	p->host = calloc(p->nvms + 1, sizeof(int32_t));
	p->secondary = calloc(p->nvms + 1, sizeof(int32_t));
	p->rule_of = calloc(p->nvms + 1, sizeof(size_t));
	p->rule_idx = calloc(nmembers + 1, sizeof(uint32_t));
	p->member_of = calloc(c->nrules + 1, sizeof(size_t));
	p->members = calloc(nmembers + 1, sizeof(uint32_t));
	p->rule_pinned = calloc(c->nrules + 1, sizeof(uint32_t));
	p->pool = calloc(p->nhosts + 1, sizeof(*p->pool));
	p->out = calloc(p->nhosts + 1, sizeof(uint32_t));
	p->out_mark = calloc(p->nhosts + 1, sizeof(uint64_t));
	if (!p->host_base || !p->vm_base || !p->free_mem || !p->free_cpu || !p->host ||
	    !p->secondary || !p->rule_of || !p->rule_idx || !p->member_of || !p->members ||
	    !p->rule_pinned || !p->pool || !p->out || !p->out_mark) {
		place_fini(p);
		return -ENOMEM;
	}
	size_t h = 0;
	for (size_t e = 0; e < c->nhosts; e++) {
		p->host_base[e] = h;
		for (long k = 0; k < c->hosts[e].count; k++, h++) {
			p->free_mem[h] = c->hosts[e].memory_gb;
			p->free_cpu[h] = c->hosts[e].cores * c->cpu_overcommit;
		}
	}
	for (size_t i = 0; i < p->nhosts; i++)
		pool_put(p, (uint32_t)i);
	size_t v = 0;
	for (size_t e = 0; e < c->nvms; e++) {
		p->vm_base[e] = v;
		v += (size_t)c->vms[e].count;
	}
	for (size_t i = 0; i < p->nvms; i++)
		p->host[i] = p->secondary[i] = -1;
	/* Rules as CSR both ways: rule -> members, VM -> rules. */
	size_t m = 0;
	for (size_t r = 0; r < c->nrules; r++) {
		p->member_of[r] = m;
		for (size_t i = 0; i < c->rules[r].nvms; i++) {
			size_t u = vm_local(p, c->rules[r].vms[i]);
			p->members[m++] = (uint32_t)u;
			p->rule_of[u + 1]++;
		}
	}
	p->member_of[c->nrules] = m;
	for (size_t i = 0; i < p->nvms; i++)
		p->rule_of[i + 1] += p->rule_of[i];
	size_t *fill = calloc(p->nvms + 1, sizeof(size_t));
	if (!fill) {
		place_fini(p);
		return -ENOMEM;
	}
	for (size_t r = 0; r < c->nrules; r++)
		for (size_t i = p->member_of[r]; i < p->member_of[r + 1]; i++) {
			size_t u = p->members[i];
			p->rule_idx[p->rule_of[u] + fill[u]++] = (uint32_t)r;
		}
	free(fill);
	return 0;
}

/* Whether the rules of VM v allow host h (anti-affinity only). */
static bool rules_allow(const struct place *p, size_t v, int32_t h)
{
	for (size_t i = p->rule_of[v]; i < p->rule_of[v + 1]; i++) {
		uint32_t r = p->rule_idx[i];
		if (p->c->rules[r].type != SCENARIO_RULE_VM_ANTI_AFFINITY)
			continue;
		for (size_t j = p->member_of[r]; j < p->member_of[r + 1]; j++)
			if (p->members[j] != v && p->host[p->members[j]] == h)
				return false;
	}
	return true;
}

/* The host an affinity rule of v or its pin requires, -1 when any will do. */
static int32_t required_host(const struct place *p, size_t v, const struct scenario_vm *spec)
{
	if (spec->pin_entry >= 0)
		return (int32_t)(p->host_base[spec->pin_entry] + (size_t)spec->pin_number - 1);
	for (size_t i = p->rule_of[v]; i < p->rule_of[v + 1]; i++) {
		uint32_t r = p->rule_idx[i];
		if (p->c->rules[r].type != SCENARIO_RULE_VM_AFFINITY)
			continue;
		for (size_t j = p->member_of[r]; j < p->member_of[r + 1]; j++)
			if (p->host[p->members[j]] >= 0)
				return p->host[p->members[j]];
	}
	return -1;
}

/* Whether host h takes VM v by memory, vCPUs and (check_rules) anti-affinity. */
static bool host_fits(const struct place *p, size_t v, const struct scenario_vm *spec, int32_t h,
                      bool check_rules)
{
	return p->free_mem[h] >= spec->memory_gb && p->free_cpu[h] >= spec->vcpus &&
	       (!check_rules || rules_allow(p, v, h));
}

/*
 * The host with the most free memory that fits, ties to the earliest; -1
 * when none does. With only >= 0, that host or none. Else the pool's
 * best that is not except nor (check_rules) a host of another placed
 * member of v's anti-affinity rules: those are marked, and taken out of
 * the pool only when they come up as the best (they go back in after), so
 * a search costs the marking plus O(log hosts) per host passed over.
 */
static int32_t best_host(struct place *p, size_t v, const struct scenario_vm *spec, int32_t only,
                         int32_t except, bool check_rules)
{
	if (only >= 0)
		return only != except && host_fits(p, v, spec, only, check_rules) ? only : -1;
	uint64_t search = ++p->search;
	if (except >= 0)
		p->out_mark[except] = search;
	for (size_t i = p->rule_of[v]; check_rules && i < p->rule_of[v + 1]; i++) {
		uint32_t r = p->rule_idx[i];
		if (p->c->rules[r].type != SCENARIO_RULE_VM_ANTI_AFFINITY)
			continue;
		for (size_t j = p->member_of[r]; j < p->member_of[r + 1]; j++) {
			int32_t h = p->host[p->members[j]];
			if (p->members[j] != v && h >= 0)
				p->out_mark[h] = search;
		}
	}
	size_t nout = 0;
	int32_t best;
	while ((best = pool_best(p, spec->vcpus)) >= 0 && p->out_mark[best] == search) {
		pool_take_out(p, (uint32_t)best);
		p->out[nout++] = (uint32_t)best;
	}
	if (best >= 0 && p->free_mem[best] < spec->memory_gb)
		best = -1;
	while (nout)
		pool_put(p, p->out[--nout]);
	return best;
}

/* Changes host h's free memory and vCPUs by -mem and -cpu (out of the pool meanwhile). */
static void host_add(struct place *p, int32_t h, double mem, double cpu)
{
	pool_take_out(p, (uint32_t)h);
	p->free_mem[h] -= mem;
	p->free_cpu[h] -= cpu;
	pool_put(p, (uint32_t)h);
}

static void take(struct place *p, int32_t h, const struct scenario_vm *spec)
{
	host_add(p, h, spec->memory_gb, spec->vcpus);
}

static void local_host_name(const struct place *p, int32_t h, char *buf, size_t len)
{
	size_t e = 0;
	while (e + 1 < p->c->nhosts && p->host_base[e + 1] <= (size_t)h)
		e++;
	if (scenario_name_expand(p->c->hosts[e].name, (long)((size_t)h - p->host_base[e]) + 1, buf,
				 len) < 0)
		snprintf(buf, len, "?");
}

/* The VM entry of local VM u. */
static size_t vm_entry(const struct place *p, size_t u)
{
	size_t e = 0;
	while (e + 1 < p->c->nvms && p->vm_base[e + 1] <= u)
		e++;
	return e;
}

static void local_vm_name(const struct place *p, size_t u, char *buf, size_t len)
{
	size_t e = vm_entry(p, u);
	if (scenario_name_expand(p->c->vms[e].name, (long)(u - p->vm_base[e]) + 1, buf, len) < 0)
		snprintf(buf, len, "?");
}

/*
 * The rule of v of type t with a placed member other than v (on host h
 * when h >= 0); its index, that member in *member, -1 when none. With
 * t = VM_AFFINITY and h = -1 it is the rule required_host() followed.
 */
static int32_t rule_with_placed(const struct place *p, size_t v, enum scenario_rule_type t,
                                int32_t h, size_t *member)
{
	for (size_t i = p->rule_of[v]; i < p->rule_of[v + 1]; i++) {
		uint32_t r = p->rule_idx[i];
		if (p->c->rules[r].type != t)
			continue;
		for (size_t j = p->member_of[r]; j < p->member_of[r + 1]; j++) {
			size_t u = p->members[j];
			if (u != v && p->host[u] >= 0 && (h < 0 || p->host[u] == h)) {
				*member = u;
				return (int32_t)r;
			}
		}
	}
	return -1;
}

/*
 * Reports VM v, required on host only by its pin or an affinity rule, that
 * has room there but an anti-affinity rule keeps it off: the two
 * contradict each other, and both are named (lack of room is not claimed).
 */
static void report_contradiction(const struct place *p, struct diag *d, size_t v,
                                 const struct scenario_vm *spec, int32_t only, const char *vname,
                                 const char *cname)
{
	char hname[SCENARIO_MAX_NAME_LEN + 1], with[SCENARIO_MAX_NAME_LEN + 1];
	char away[SCENARIO_MAX_NAME_LEN + 1], why[SCENARIO_MAX_NAME_LEN + 96];
	size_t mw = 0, ma = 0;
	int32_t ra = rule_with_placed(p, v, SCENARIO_RULE_VM_ANTI_AFFINITY, only, &ma);
	local_host_name(p, only, hname, sizeof(hname));
	local_vm_name(p, ma, away, sizeof(away));
	int32_t rw =
	    spec->pin_entry >= 0 ? -1 : rule_with_placed(p, v, SCENARIO_RULE_VM_AFFINITY, -1, &mw);
	if (rw >= 0) {
		local_vm_name(p, mw, with, sizeof(with));
		snprintf(why, sizeof(why),
		         "the vm_affinity rule at line %u, column %u keeps it with VM '%s'",
		         (unsigned)p->c->rules[rw].pos.line, (unsigned)p->c->rules[rw].pos.col,
		         with);
	} else {
		snprintf(why, sizeof(why), "its pin puts it");
	}
	diag_error(
	    d, spec->pos,
	    "VM '%s' of cluster '%s' cannot be placed: its %s contradict each other: %s "
	    "on host '%s', and the vm_anti_affinity rule at line %u, column %u keeps it away "
	    "from VM '%s' there",
	    vname, cname, rw >= 0 ? "rules" : "pin and rules", why, hname,
	    (unsigned)p->c->rules[ra].pos.line, (unsigned)p->c->rules[ra].pos.col, away);
}

/*
 * The vm_affinity rule of v (pinned to host h) with a member pinned to
 * another host, that member in *member; -1 when none. Such pins and rule
 * contradict each other whatever the order of placement. O(rules of v):
 * a rule's placed pinned members share one host, so its first one speaks
 * for all (pinned_placed() records it).
 */
static int32_t pinned_apart(const struct place *p, size_t v, int32_t h, size_t *member)
{
	for (size_t i = p->rule_of[v]; i < p->rule_of[v + 1]; i++) {
		uint32_t r = p->rule_idx[i];
		if (p->c->rules[r].type != SCENARIO_RULE_VM_AFFINITY || !p->rule_pinned[r])
			continue;
		size_t u = p->rule_pinned[r] - 1;
		if (p->host[u] != h) {
			*member = u;
			return (int32_t)r;
		}
	}
	return -1;
}

/* Records pinned VM v, just placed, as the first placed pinned member of its rules without one. */
static void pinned_placed(struct place *p, size_t v)
{
	for (size_t i = p->rule_of[v]; i < p->rule_of[v + 1]; i++)
		if (!p->rule_pinned[p->rule_idx[i]])
			p->rule_pinned[p->rule_idx[i]] = (uint32_t)v + 1;
}

/* Reports pinned VM v whose vm_affinity rule r keeps it with VM u, pinned elsewhere. */
static void report_pins_apart(const struct place *p, struct diag *d, size_t v, int32_t h,
                              uint32_t r, size_t u, const char *vname, const char *cname)
{
	char hname[SCENARIO_MAX_NAME_LEN + 1], uname[SCENARIO_MAX_NAME_LEN + 1];
	char uhost[SCENARIO_MAX_NAME_LEN + 1];
	local_host_name(p, h, hname, sizeof(hname));
	local_host_name(p, p->host[u], uhost, sizeof(uhost));
	local_vm_name(p, u, uname, sizeof(uname));
	diag_error(d, p->c->vms[vm_entry(p, v)].pos,
	           "VM '%s' of cluster '%s' cannot be placed: its pin and rules contradict each "
	           "other: its pin puts it on host '%s', and the vm_affinity rule at line %u, "
	           "column %u keeps it with VM '%s', pinned to host '%s'",
	           vname, cname, hname, (unsigned)p->c->rules[r].pos.line,
	           (unsigned)p->c->rules[r].pos.col, uname, uhost);
}

/* Places every VM of p's cluster entry; reports the first VM of each VM entry that fits nowhere. */
static int place_run(struct place *p, struct diag *d)
{
	const struct scenario_cluster *c = p->c;
	char vname[SCENARIO_MAX_NAME_LEN + 1], hname[SCENARIO_MAX_NAME_LEN + 1];
	char cname[SCENARIO_MAX_NAME_LEN + 1];
	if (c->count > 1 || scenario_name_expand(c->name, 1, cname, sizeof(cname)) < 0)
		snprintf(cname, sizeof(cname), "%s", c->name);
	int rc = 0;
	for (size_t e = 0; e < c->nvms; e++) {
		const struct scenario_vm *spec = &c->vms[e];
		for (long k = 1; k <= spec->count; k++) {
			size_t v = p->vm_base[e] + (size_t)k - 1;
			int32_t only = required_host(p, v, spec);
			size_t apart = 0;
			int32_t ra = spec->pin_entry >= 0 ? pinned_apart(p, v, only, &apart) : -1;
			if (ra >= 0) {
				if (scenario_name_expand(spec->name, k, vname, sizeof(vname)) < 0)
					snprintf(vname, sizeof(vname), "%s", spec->name);
				report_pins_apart(p, d, v, only, (uint32_t)ra, apart, vname, cname);
				rc = -EINVAL;
				break;
			}
			int32_t h = best_host(p, v, spec, only, -1, true);
			int32_t h2 = -1;
			if (h >= 0 && spec->ft) {
				take(p, h, spec);
				h2 = best_host(p, v, spec, -1, h, false);
				if (h2 < 0)
					host_add(p, h, -spec->memory_gb, -spec->vcpus);
			}
			if (h >= 0 && (!spec->ft || h2 >= 0)) {
				if (!spec->ft)
					take(p, h, spec);
				else
					take(p, h2, spec);
				p->host[v] = h;
				p->secondary[v] = h2;
				if (spec->pin_entry >= 0)
					pinned_placed(p, v);
				continue;
			}
			if (scenario_name_expand(spec->name, k, vname, sizeof(vname)) < 0)
				snprintf(vname, sizeof(vname), "%s", spec->name);
			if (h >= 0) {
				diag_error(d, spec->pos,
					   "FT VM '%s' of cluster '%s': no host other than its primary's "
					   "has room for its secondary (%g GB, %d vCPU%s)",
					   vname, cname, spec->memory_gb, spec->vcpus,
					   spec->vcpus == 1 ? "" : "s");
			} else if (only >= 0 && host_fits(p, v, spec, only, false)) {
				report_contradiction(p, d, v, spec, only, vname, cname);
			} else if (only >= 0) {
				local_host_name(p, only, hname, sizeof(hname));
				diag_error(d, spec->pos,
					   "VM '%s' of cluster '%s' must go on host '%s' (%s), which "
					   "lacks room for it: needs %g GB and %d vCPU%s, has %g GB and "
					   "%g vCPUs free",
					   vname, cname, hname,
					   spec->pin_entry >= 0 ? "its pin" : "its affinity rule",
					   spec->memory_gb, spec->vcpus, spec->vcpus == 1 ? "" : "s",
					   p->free_mem[only],
					   p->free_cpu[only]);
			} else {
				int32_t roomy = best_host(p, v, spec, -1, -1, false);
				diag_error(d, spec->pos,
					   "VM '%s' of cluster '%s' fits on no host: needs %g GB and %d "
					   "vCPU%s; %s",
					   vname, cname, spec->memory_gb, spec->vcpus,
					   spec->vcpus == 1 ? "" : "s",
					   roomy >= 0 ? "the hosts with room hold members of its "
							"anti-affinity rules"
						      : "no host has that much memory and CPU free");
			}
			rc = -EINVAL;
			break; /* the rest of this entry would only repeat the error */
		}
	}
	return rc;
}

int estate_check(const struct scenario *sc, struct diag *d)
{
	int rc = 0;
	for (size_t i = 0; i < sc->nclusters; i++) {
		struct place p;
		if (place_init(&p, &sc->clusters[i]) < 0)
			return -ENOMEM;
		int r = place_run(&p, d);
		place_fini(&p);
		if (r < 0)
			rc = r;
	}
	return rc;
}

/* Builds the host -> VMs index (counting sort keeps inventory order). */
static int index_hosts(struct estate *e)
{
	size_t nsec = 0;
	for (size_t v = 0; v < e->nvms; v++)
		nsec += e->vms[v].secondary >= 0;
	e->on_host0 = calloc(e->nhosts + 2, sizeof(uint32_t));
	e->on_host = calloc(e->nvms + nsec + 1, sizeof(uint32_t));
	if (!e->on_host0 || !e->on_host)
		return -ENOMEM;
	for (size_t v = 0; v < e->nvms; v++) {
		e->on_host0[e->vms[v].host + 2]++;
		if (e->vms[v].secondary >= 0)
			e->on_host0[e->vms[v].secondary + 2]++;
	}
	for (size_t h = 2; h < e->nhosts + 2; h++)
		e->on_host0[h] += e->on_host0[h - 1];
	for (size_t v = 0; v < e->nvms; v++) {
		e->on_host[e->on_host0[e->vms[v].host + 1]++] = (uint32_t)v;
		if (e->vms[v].secondary >= 0)
			e->on_host[e->on_host0[e->vms[v].secondary + 1]++] = (uint32_t)v;
	}
	return 0;
}

int estate_build(const struct scenario *sc, struct diag *d, struct estate **out)
{
	*out = NULL;
	struct estate *e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->sc = sc;
	e->nclusters = (size_t)sc->total_clusters;
	e->nhosts = (size_t)sc->total_hosts;
	e->nvms = (size_t)sc->total_vms;
	e->clusters = calloc(e->nclusters + 1, sizeof(*e->clusters));
	e->hosts = calloc(e->nhosts + 1, sizeof(*e->hosts));
	e->vms = calloc(e->nvms + 1, sizeof(*e->vms));
	if (!e->clusters || !e->hosts || !e->vms) {
		estate_free(e);
		return -ENOMEM;
	}
	int rc = 0;
	size_t ci = 0, hi = 0, vi = 0;
	for (size_t s = 0; s < sc->nclusters; s++) {
		const struct scenario_cluster *c = &sc->clusters[s];
		struct place p;
		if (place_init(&p, c) < 0) {
			estate_free(e);
			return -ENOMEM;
		}
		int r = place_run(&p, d);
		if (r < 0) {
			rc = r;
			place_fini(&p);
			continue;
		}
		for (long copy = 1; copy <= c->count; copy++, ci++) {
			struct estate_cluster *ec = &e->clusters[ci];
			ec->spec = c;
			ec->copy = (uint32_t)copy;
			ec->host0 = (uint32_t)hi;
			ec->nhosts = (uint32_t)p.nhosts;
			ec->vm0 = (uint32_t)vi;
			ec->nvms = (uint32_t)p.nvms;
			for (size_t he = 0; he < c->nhosts; he++)
				for (long k = 1; k <= c->hosts[he].count; k++, hi++)
					e->hosts[hi] = (struct estate_host){(uint32_t)ci, (uint32_t)he,
									    (uint32_t)k};
			for (size_t ve = 0; ve < c->nvms; ve++)
				for (long k = 1; k <= c->vms[ve].count; k++, vi++) {
					size_t l = p.vm_base[ve] + (size_t)k - 1;
					e->vms[vi] = (struct estate_vm){
						.cluster = (uint32_t)ci,
						.entry = (uint32_t)ve,
						.number = (uint32_t)k,
						.host = (int32_t)ec->host0 + p.host[l],
						.secondary = p.secondary[l] < 0
								     ? -1
								     : (int32_t)ec->host0 + p.secondary[l],
					};
				}
		}
		place_fini(&p);
	}
	if (rc < 0 || (rc = index_hosts(e)) < 0) {
		estate_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

void estate_free(struct estate *e)
{
	if (!e)
		return;
	free(e->clusters);
	free(e->hosts);
	free(e->vms);
	free(e->on_host0);
	free(e->on_host);
	free(e);
}

const struct scenario_host *estate_host_spec(const struct estate *e, size_t h)
{
	const struct estate_host *x = &e->hosts[h];
	return &e->clusters[x->cluster].spec->hosts[x->entry];
}

const struct scenario_vm *estate_vm_spec(const struct estate *e, size_t v)
{
	const struct estate_vm *x = &e->vms[v];
	return &e->clusters[x->cluster].spec->vms[x->entry];
}

int estate_cluster_name(const struct estate *e, size_t c, char *buf, size_t len)
{
	return scenario_name_expand(e->clusters[c].spec->name, e->clusters[c].copy, buf, len);
}

int estate_host_name(const struct estate *e, size_t h, char *buf, size_t len)
{
	return scenario_name_expand(estate_host_spec(e, h)->name, e->hosts[h].number, buf, len);
}

int estate_vm_name(const struct estate *e, size_t v, char *buf, size_t len)
{
	return scenario_name_expand(estate_vm_spec(e, v)->name, e->vms[v].number, buf, len);
}

double estate_vm_admission_gb(const struct scenario_vm *vm)
{
	double overhead_mb = ESTATE_OVERHEAD_BASE_MB + ESTATE_OVERHEAD_MB_PER_GB * vm->memory_gb +
	                     ESTATE_OVERHEAD_MB_PER_VCPU * vm->vcpus;
	return vm->reservation_gb + overhead_mb / 1024.0;
}
