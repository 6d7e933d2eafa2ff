/*
 * scenario_sweep: checks every value of every sweep axis as the sweep will
 * use it: the value is set by path into a copy of the tree, and the copy is
 * converted with every check. What that reports is turned into an error at
 * the value ("sweep value '200' for 'PATH': ..."). Each value is checked
 * with the other axes at the file's own values; combinations are not
 * (their number is a product), the sweep converts each point before
 * running it anyway.
 *
 * The copies leave out the sweep section itself (its values were checked
 * once, duplicates included, when the file was converted), so a check
 * costs the rest of the tree, not the sweep's size.
 *
 * The cost is bounded: each check costs about the tree's nodes plus the
 * names the name checks expand; once SCENARIO_SWEEP_CHECK_BUDGET is spent
 * the remaining values are checked without the name checks, and once even
 * that does not fit, not at all.
 */
#include "scenarios/scenario_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Nodes of t but those of its sweep section (what a check copy holds), plus one. */
static long nodes_without_sweep(const struct ytree *t)
{
	const struct ynode *r = t->root;
	long nodes = (long)r->nnodes + 1;
	for (size_t i = 0; r->kind == YNODE_MAPPING && i < r->len; i++) {
		const struct ynode *k = r->items[2 * i];
		if (k->kind == YNODE_SCALAR && k->len == 5 && !memcmp(k->str, "sweep", 5))
			nodes -= (long)k->nnodes + (long)r->items[2 * i + 1]->nnodes;
	}
	return nodes;
}

/* Copies the errors of one value's check into d, at the value. */
static void sweep_report(struct diag *d, const struct diag *sub,
                         const struct scenario_sweep_axis *a, size_t j)
{
	char vs[64];
	char ps[64];
	diag_snippet(vs, sizeof(vs), a->values[j], strlen(a->values[j]));
	diag_snippet(ps, sizeof(ps), a->path, strlen(a->path));
	struct diag_pos at = a->value_pos[j];
	for (size_t i = 0; i < sub->n; i++) {
		struct diag_pos p = sub->v[i].pos;
		if (p.line && (p.line != at.line || p.col != at.col))
			diag_error(d, at, "sweep value '%s' for '%s': %s (at %lu:%lu)", vs, ps,
			           sub->v[i].msg, (unsigned long)p.line, (unsigned long)p.col);
		else
			diag_error(d, at, "sweep value '%s' for '%s': %s", vs, ps, sub->v[i].msg);
	}
	if (sub->dropped)
		diag_error(d, at, "sweep value '%s' for '%s': and more errors", vs, ps);
}

struct sweep_key {
	const char *s;
	size_t i;
};

static int sweep_key_cmp(const void *pa, const void *pb)
{
	const struct sweep_key *a = pa, *b = pb;
	int c = strcmp(a->s, b->s);
	if (c)
		return c;
	return (a->i > b->i) - (a->i < b->i);
}

int scenario__duplicates(const char *const *values, size_t n, bool *twice)
{
	size_t m = 0;
	struct sweep_key *keys = malloc((n ? n : 1) * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		twice[i] = false;
		if (values[i])
			keys[m++] = (struct sweep_key){values[i], i};
	}
	qsort(keys, m, sizeof(*keys), sweep_key_cmp);
	int count = 0;
	for (size_t i = 1; i < m; i++)
		if (!strcmp(keys[i - 1].s, keys[i].s)) {
			twice[keys[i].i] = true;
			count++;
		}
	free(keys);
	return count;
}

int scenario_duplicate_values(const char *const *values, size_t n, bool *twice)
{
	return scenario__duplicates(values, n, twice);
}

int scenario__sweep_duplicates(const struct ynode *vals, const char *const *values,
                               struct diag *d)
{
	bool *twice = malloc((vals->len ? vals->len : 1) * sizeof(*twice));
	int count = twice ? scenario__duplicates(values, vals->len, twice) : -ENOMEM;
	for (size_t i = 0; count > 0 && i < vals->len; i++) {
		if (!twice[i])
			continue;
		const struct ynode *it = vals->items[i];
		char snip[64];
		diag_error(d, ynode_pos(it), "sweep value '%s' is listed twice",
		           diag_snippet(snip, sizeof(snip), it->str, it->len));
	}
	free(twice);
	return count;
}

int scenario_check_sweep(const struct ytree *t, const struct scenario *s, struct diag *d)
{
	long nodes = nodes_without_sweep(t);
	long names = 0;
	for (size_t i = 0; i < s->nclusters; i++) {
		const struct scenario_cluster *cl = &s->clusters[i];
		names += cl->count + cl->hosts_each + cl->vms_each;
	}
	long used = 0;
	size_t errors = d->n + d->dropped;
	int rc = 0;
	for (size_t ai = 0; ai < s->naxes && !rc; ai++) {
		const struct scenario_sweep_axis *a = &s->sweep[ai];
		for (size_t j = 0; j < a->nvalues; j++) {
			if (diag_full(d)) {
				d->dropped++; /* more values, unchecked */
				return -EINVAL;
			}
			unsigned flags;
			if (used + nodes + names <= SCENARIO_SWEEP_CHECK_BUDGET) {
				flags = 0;
				used += nodes + names;
			} else if (used + nodes <= SCENARIO_SWEEP_CHECK_BUDGET) {
				flags = SCENARIO__NO_NAME_CHECKS;
				used += nodes;
			} else {
				return d->n + d->dropped > errors ? -EINVAL : 0;
			}
			struct ytree *copy = ytree_clone_without(t, "sweep");
			if (!copy)
				return -ENOMEM;
			struct diag sub;
			diag_init(&sub, t->file);
			int set = ytree_set(copy, a->path, a->values[j], a->quoted[j],
			                    a->value_pos[j], &sub);
			if (set == -EINVAL) {
				/* The path does not resolve in this file: once per axis. */
				for (size_t i = 0; i < sub.n; i++)
					diag_add(d, a->pos, sub.v[i].msg);
				diag_fini(&sub);
				ytree_free(copy);
				break;
			}
			if (set == 0) {
				long work = 0;
				struct scenario *point =
				    scenario__convert(copy, &sub, flags, &work);
				scenario_free(point);
				sweep_report(d, &sub, a, j);
			}
			if (set == -ENOMEM || sub.oom)
				rc = -ENOMEM;
			diag_fini(&sub);
			ytree_free(copy);
		}
	}
	if (rc)
		return rc;
	return d->n + d->dropped > errors ? -EINVAL : 0;
}
