/* Tests of models/estate: expansion and initial placement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "models/estate.h"
#include "tests/scale.h"

static struct scenario *load(const char *yaml, struct diag *d)
{
	struct scenario *s = NULL;
	diag_init(d, "t.yaml");
	int rc = scenario_load_buffer(yaml, strlen(yaml), "t.yaml", d, &s);
	if (rc != 0)
		diag_print(d, stderr);
	assert_int_equal(rc, 0);
	return s;
}

/* Errors of d as one string, for exact comparisons. */
static const char *errors(struct diag *d, char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");
	diag_print(d, f);
	fclose(f);
	return buf;
}

#define HEAD "lpsim: 1\nname: t\npatch: {name: p}\n"

static void test_estate_places_each_vm_on_the_host_with_most_free_memory(void **state)
{
	(void)state;
	struct diag d;
	struct scenario *s = load(HEAD "clusters:\n"
				       "  - name: c\n"
				       "    hosts:\n"
				       "      - {name: small, cores: 8, memory_gb: 64}\n"
				       "      - {name: big, cores: 8, memory_gb: 100}\n"
				       "    vms:\n"
				       "      - {name: v%d, count: 4, vcpus: 1, memory_gb: 20}\n",
				  &d);
	struct estate *e;
	assert_int_equal(estate_build(s, &d, &e), 0);
	assert_int_equal(e->nhosts, 2);
	assert_int_equal(e->nvms, 4);
	/* free: 64/100 -> big(80) -> big(60) -> small(44) -> big(40) */
	assert_int_equal(e->vms[0].host, 1);
	assert_int_equal(e->vms[1].host, 1);
	assert_int_equal(e->vms[2].host, 0);
	assert_int_equal(e->vms[3].host, 1);
	char name[64];
	assert_int_equal(estate_vm_name(e, 2, name, sizeof(name)), 2);
	assert_string_equal(name, "v3");
	estate_free(e);
	scenario_free(s);
	diag_fini(&d);
}

static void test_estate_ties_go_to_the_earliest_host(void **state)
{
	(void)state;
	struct diag d;
	struct scenario *s = load(HEAD "clusters:\n"
				       "  - name: c\n"
				       "    hosts: [{name: esx-%02d, count: 3, cores: 8, memory_gb: 64}]\n"
				       "    vms: [{name: v%d, count: 3, vcpus: 1, memory_gb: 8}]\n",
				  &d);
	struct estate *e;
	assert_int_equal(estate_build(s, &d, &e), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(e->vms[i].host, i);
	char name[64];
	estate_host_name(e, 2, name, sizeof(name));
	assert_string_equal(name, "esx-03");
	estate_free(e);
	scenario_free(s);
	diag_fini(&d);
}

static void test_estate_ft_secondary_goes_on_another_host_and_takes_memory(void **state)
{
	(void)state;
	struct diag d;
	struct scenario *s = load(HEAD "clusters:\n"
				       "  - name: c\n"
				       "    hosts: [{name: h%d, count: 2, cores: 8, memory_gb: 64}]\n"
				       "    vms:\n"
				       "      - {name: ft, vcpus: 2, memory_gb: 40, ft: true}\n"
				       "      - {name: x, vcpus: 2, memory_gb: 20}\n",
				  &d);
	struct estate *e;
	assert_int_equal(estate_build(s, &d, &e), 0);
	assert_int_equal(e->vms[0].host, 0);
	assert_int_equal(e->vms[0].secondary, 1);
	assert_int_equal(e->vms[1].host, 0); /* 24 free on both: tie to the earliest */
	assert_int_equal(e->vms[1].secondary, -1);
	estate_free(e);
	scenario_free(s);
	diag_fini(&d);
}

static void test_estate_keeps_anti_affinity_and_pins(void **state)
{
	(void)state;
	struct diag d;
	struct scenario *s = load(HEAD "clusters:\n"
				       "  - name: c\n"
				       "    hosts:\n"
				       "      - {name: a, cores: 8, memory_gb: 128}\n"
				       "      - {name: b, cores: 8, memory_gb: 64}\n"
				       "    vms:\n"
				       "      - {name: sql-%02d, count: 2, vcpus: 1, memory_gb: 8}\n"
				       "      - {name: pinned, vcpus: 1, memory_gb: 8, host: b}\n"
				       "      - {name: free, vcpus: 1, memory_gb: 8}\n"
				       "    rules:\n"
				       "      - {type: vm_anti_affinity, vms: [sql-01, sql-02]}\n",
				  &d);
	struct estate *e;
	assert_int_equal(estate_build(s, &d, &e), 0);
	assert_int_equal(e->vms[0].host, 0);
	assert_int_equal(e->vms[1].host, 1); /* a has more room, but holds sql-01 */
	assert_int_equal(e->vms[2].host, 1); /* pinned */
	assert_int_equal(e->vms[3].host, 0);
	estate_free(e);
	scenario_free(s);
	diag_fini(&d);
}

static void test_estate_names_the_vm_that_fits_nowhere(void **state)
{
	(void)state;
	struct diag d;
	char buf[1024];
	struct scenario *s = load(HEAD "clusters:\n"
				       "  - name: c\n"
				       "    hosts: [{name: h%d, count: 2, cores: 8, memory_gb: 64}]\n"
				       "    vms:\n"
				       "      - {name: v%02d, count: 3, vcpus: 1, memory_gb: 40}\n",
				  &d);
	struct estate *e = NULL;
	assert_int_equal(estate_build(s, &d, &e), -22);
	assert_null(e);
	assert_string_equal(errors(&d, buf, sizeof(buf)),
			    "t.yaml:8:9: error: VM 'v03' of cluster 'c' fits on no host: needs 40 GB "
			    "and 1 vCPU; no host has that much memory and CPU free\n");
	diag_fini(&d);
	diag_init(&d, "t.yaml");
	assert_int_equal(estate_check(s, &d), -22);
	assert_true(diag_failed(&d));
	scenario_free(s);
	diag_fini(&d);
}

static void test_estate_cluster_copies_share_the_placement(void **state)
{
	(void)state;
	struct diag d;
	struct scenario *s = load(HEAD "clusters:\n"
				       "  - name: cl-%02d\n"
				       "    count: 3\n"
				       "    hosts: [{name: h%d, count: 2, cores: 8, memory_gb: 64}]\n"
				       "    vms: [{name: v%d, count: 5, vcpus: 1, memory_gb: 4}]\n",
				  &d);
	struct estate *e;
	assert_int_equal(estate_build(s, &d, &e), 0);
	assert_int_equal(e->nclusters, 3);
	assert_int_equal(e->nhosts, 6);
	assert_int_equal(e->nvms, 15);
	for (size_t c = 0; c < 3; c++) {
		assert_int_equal(e->clusters[c].host0, 2 * c);
		assert_int_equal(e->clusters[c].vm0, 5 * c);
		for (size_t i = 0; i < 5; i++) {
			const struct estate_vm *v = &e->vms[e->clusters[c].vm0 + i];
			assert_int_equal(v->cluster, c);
			assert_int_equal(v->host - (int32_t)e->clusters[c].host0, e->vms[i].host);
		}
	}
	char name[64];
	estate_cluster_name(e, 2, name, sizeof(name));
	assert_string_equal(name, "cl-03");
	estate_free(e);
	scenario_free(s);
	diag_fini(&d);
}

/* ---- the placement against the straightforward one it replaced ---------- */

/* The placement of one cluster entry by scanning every host for every VM
 * (the former models/estate.c, kept as the reference). */
struct ref {
	const struct scenario_cluster *c;
	size_t nh, nv;
	size_t *hb, *vb;
	double *mem, *cpu;
	int32_t *host, *sec;
};

static size_t ref_vm(const struct ref *r, struct scenario_vm_ref x)
{
	return r->vb[x.entry] + (size_t)x.number - 1;
}

static bool ref_in_rule(const struct ref *r, const struct scenario_rule *rule, size_t v)
{
	for (size_t i = 0; i < rule->nvms; i++)
		if (ref_vm(r, rule->vms[i]) == v)
			return true;
	return false;
}

static bool ref_allow(const struct ref *r, size_t v, int32_t h)
{
	for (size_t k = 0; k < r->c->nrules; k++) {
		const struct scenario_rule *rule = &r->c->rules[k];
		if (rule->type != SCENARIO_RULE_VM_ANTI_AFFINITY || !ref_in_rule(r, rule, v))
			continue;
		for (size_t i = 0; i < rule->nvms; i++) {
			size_t u = ref_vm(r, rule->vms[i]);
			if (u != v && r->host[u] == h)
				return false;
		}
	}
	return true;
}

static int32_t ref_required(const struct ref *r, size_t v, const struct scenario_vm *spec)
{
	if (spec->pin_entry >= 0)
		return (int32_t)(r->hb[spec->pin_entry] + (size_t)spec->pin_number - 1);
	for (size_t k = 0; k < r->c->nrules; k++) {
		const struct scenario_rule *rule = &r->c->rules[k];
		if (rule->type != SCENARIO_RULE_VM_AFFINITY || !ref_in_rule(r, rule, v))
			continue;
		for (size_t i = 0; i < rule->nvms; i++)
			if (r->host[ref_vm(r, rule->vms[i])] >= 0)
				return r->host[ref_vm(r, rule->vms[i])];
	}
	return -1;
}

/* Whether pinned VM v shares a vm_affinity rule with a VM pinned to a host other than h. */
static bool ref_pinned_apart(const struct ref *r, size_t v, int32_t h)
{
	for (size_t k = 0; k < r->c->nrules; k++) {
		const struct scenario_rule *rule = &r->c->rules[k];
		if (rule->type != SCENARIO_RULE_VM_AFFINITY || !ref_in_rule(r, rule, v))
			continue;
		for (size_t i = 0; i < rule->nvms; i++) {
			size_t u = ref_vm(r, rule->vms[i]);
			if (u != v && r->host[u] >= 0 && r->host[u] != h &&
			    r->c->vms[rule->vms[i].entry].pin_entry >= 0)
				return true;
		}
	}
	return false;
}

static int32_t ref_best(const struct ref *r, size_t v, const struct scenario_vm *spec,
                        int32_t only, int32_t except, bool rules)
{
	int32_t best = -1;
	size_t lo = only >= 0 ? (size_t)only : 0, hi = only >= 0 ? (size_t)only + 1 : r->nh;
	for (size_t h = lo; h < hi; h++) {
		if ((int32_t)h == except || r->mem[h] < spec->memory_gb || r->cpu[h] < spec->vcpus)
			continue;
		if (rules && !ref_allow(r, v, (int32_t)h))
			continue;
		if (best < 0 || r->mem[h] > r->mem[best])
			best = (int32_t)h;
	}
	return best;
}

/* Places c as the former code did (and refuses a pinned VM whose
 * vm_affinity rule has a member pinned elsewhere, as estate does since);
 * returns how many VM entries failed. */
static int ref_place(struct ref *r, const struct scenario_cluster *c)
{
	r->c = c;
	r->nh = (size_t)c->hosts_each;
	r->nv = (size_t)c->vms_each;
	r->hb = calloc(c->nhosts + 1, sizeof(size_t));
	r->vb = calloc(c->nvms + 1, sizeof(size_t));
	r->mem = calloc(r->nh + 1, sizeof(double));
	r->cpu = calloc(r->nh + 1, sizeof(double));
	r->host = calloc(r->nv + 1, sizeof(int32_t));
	r->sec = calloc(r->nv + 1, sizeof(int32_t));
	size_t h = 0, v = 0;
	for (size_t e = 0; e < c->nhosts; e++) {
		r->hb[e] = h;
		for (long k = 0; k < c->hosts[e].count; k++, h++) {
			r->mem[h] = c->hosts[e].memory_gb;
			r->cpu[h] = c->hosts[e].cores * c->cpu_overcommit;
		}
	}
	for (size_t e = 0; e < c->nvms; e++) {
		r->vb[e] = v;
		v += (size_t)c->vms[e].count;
	}
	for (size_t i = 0; i < r->nv; i++)
		r->host[i] = r->sec[i] = -1;
	int failed = 0;
	for (size_t e = 0; e < c->nvms; e++) {
		const struct scenario_vm *spec = &c->vms[e];
		for (long k = 1; k <= spec->count; k++) {
			size_t u = r->vb[e] + (size_t)k - 1;
			int32_t only = ref_required(r, u, spec);
			if (spec->pin_entry >= 0 && ref_pinned_apart(r, u, only)) {
				failed++; /* its pin and rules contradict each other */
				break;
			}
			int32_t b = ref_best(r, u, spec, only, -1, true), b2 = -1;
			if (b >= 0 && spec->ft) {
				r->mem[b] -= spec->memory_gb;
				r->cpu[b] -= spec->vcpus;
				b2 = ref_best(r, u, spec, -1, b, false);
				if (b2 < 0) {
					r->mem[b] += spec->memory_gb;
					r->cpu[b] += spec->vcpus;
				}
			}
			if (b < 0 || (spec->ft && b2 < 0)) {
				failed++;
				break;
			}
			int32_t t = spec->ft ? b2 : b;
			r->mem[t] -= spec->memory_gb;
			r->cpu[t] -= spec->vcpus;
			r->host[u] = b;
			r->sec[u] = b2;
		}
	}
	return failed;
}

static void ref_free(struct ref *r)
{
	free(r->hb);
	free(r->vb);
	free(r->mem);
	free(r->cpu);
	free(r->host);
	free(r->sec);
}

static uint64_t rnd(uint64_t *x)
{
	*x = *x * 6364136223846793005ull + 1442695040888963407ull;
	return *x >> 33;
}

/* A random cluster in YAML: host entries of a few sizes, VM entries of
 * many, FT VMs, pins, affinity and anti-affinity rules. */
static void random_estate(char *y, size_t len, uint64_t seed)
{
	uint64_t x = seed * 2654435761u + 1;
	size_t o = (size_t)snprintf(y, len, HEAD "clusters:\n  - name: c\n    cpu_overcommit: %s\n    hosts:\n",
	                            rnd(&x) % 2 ? "1" : "4");
	int nhe = 1 + (int)(rnd(&x) % 3), hcount[3];
	for (int i = 0; i < nhe; i++) {
		hcount[i] = 1 + (int)(rnd(&x) % 10);
		o += (size_t)snprintf(y + o, len - o,
		                      "      - {name: h%d-%%d, count: %d, cores: %d, memory_gb: %d}\n",
		                      i, hcount[i], 2 << (rnd(&x) % 4), 32 << (rnd(&x) % 3));
	}
	o += (size_t)snprintf(y + o, len - o, "    vms:\n");
	int nve = 1 + (int)(rnd(&x) % 5), vcount[5];
	for (int i = 0; i < nve; i++) {
		vcount[i] = 1 + (int)(rnd(&x) % 12);
		o += (size_t)snprintf(y + o, len - o,
		                      "      - {name: v%d-%%d, count: %d, vcpus: %d, memory_gb: %d%s",
		                      i, vcount[i], 1 + (int)(rnd(&x) % 6), 2 << (rnd(&x) % 4),
		                      rnd(&x) % 6 == 0 ? ", ft: true" : "");
		if (rnd(&x) % 8 == 0) {
			int he = (int)(rnd(&x) % (uint64_t)nhe);
			o += (size_t)snprintf(y + o, len - o, ", host: h%d-%d", he,
			                      1 + (int)(rnd(&x) % (uint64_t)hcount[he]));
		}
		o += (size_t)snprintf(y + o, len - o, "}\n");
	}
	int nrules = (int)(rnd(&x) % 4);
	if (nrules)
		o += (size_t)snprintf(y + o, len - o, "    rules:\n");
	for (int r = 0; r < nrules; r++) {
		int e1 = (int)(rnd(&x) % (uint64_t)nve), e2 = (int)(rnd(&x) % (uint64_t)nve);
		int n1 = 1 + (int)(rnd(&x) % (uint64_t)vcount[e1]);
		int n2 = 1 + (int)(rnd(&x) % (uint64_t)vcount[e2]);
		if (e1 == e2 && n1 == n2)
			n2 = n2 % vcount[e2] + 1;
		if (e1 == e2 && n1 == n2)
			continue; /* a one-VM entry: no second member */
		o += (size_t)snprintf(y + o, len - o, "      - {type: %s, vms: [v%d-%d, v%d-%d]}\n",
		                      rnd(&x) % 3 ? "vm_anti_affinity" : "vm_affinity", e1, n1,
		                      e2, n2);
	}
}

static void test_estate_places_as_scanning_every_host_did(void **state)
{
	(void)state;
	int compared = 0, refused = 0;
	for (uint64_t seed = 0; seed < 3000; seed++) {
		char y[4096];
		random_estate(y, sizeof(y), seed);
		struct diag d;
		struct scenario *s = NULL;
		diag_init(&d, "t.yaml");
		if (scenario_load_buffer(y, strlen(y), "t.yaml", &d, &s) != 0) {
			diag_fini(&d); /* e.g. a rule naming one VM twice */
			continue;
		}
		struct ref r;
		int failed = ref_place(&r, &s->clusters[0]);
		struct estate *e = NULL;
		int rc = estate_build(s, &d, &e);
		if (failed) {
			assert_int_equal(rc, -EINVAL);
			assert_int_equal(d.n, failed); /* one error per VM entry that failed */
			refused++;
		} else {
			if (rc != 0)
				fail_msg("seed %llu: refused what the reference placed:\n%s",
				         (unsigned long long)seed, y);
			for (size_t v = 0; v < e->nvms; v++)
				if (e->vms[v].host != r.host[v] || e->vms[v].secondary != r.sec[v])
					fail_msg("seed %llu: VM %zu on %d/%d, the reference %d/%d:\n%s",
					         (unsigned long long)seed, v, e->vms[v].host,
					         e->vms[v].secondary, r.host[v], r.sec[v], y);
			compared++;
		}
		ref_free(&r);
		estate_free(e);
		scenario_free(s);
		diag_fini(&d);
	}
	/* Both kinds were tried, many times. */
	assert_true(compared > 1000);
	assert_true(refused > 100);
}

/* HOSTS hosts and 4 x HOSTS VMs of two sizes each (malloc'd YAML). */
static char *many(long hosts)
{
	char *y = malloc(1024);
	assert_non_null(y);
	snprintf(y, 1024,
	         HEAD "clusters:\n  - name: c\n    hosts:\n"
	              "      - {name: a-%%d, count: %ld, cores: 64, memory_gb: 1024}\n"
	              "      - {name: b-%%d, count: %ld, cores: 32, memory_gb: 768}\n"
	              "    vms:\n"
	              "      - {name: w-%%d, count: %ld, vcpus: 2, memory_gb: 4}\n"
	              "      - {name: d-%%d, count: %ld, vcpus: 4, memory_gb: 8}\n",
	         hosts / 2, hosts - hosts / 2, 2 * hosts, 2 * hosts);
	return y;
}

static void place_many(void *arg, long n)
{
	struct scenario **s = arg;
	struct diag d;
	diag_init(&d, "t.yaml");
	struct estate *e = NULL;
	assert_int_equal(estate_build(s[n > 500], &d, &e), 0);
	estate_free(e);
	diag_fini(&d);
}

static void test_estate_placement_costs_about_the_vms(void **state)
{
	(void)state;
	struct diag d;
	char *y[2] = {many(500), many(8000)};
	struct scenario *s[2] = {load(y[0], &d), NULL};
	diag_fini(&d);
	s[1] = load(y[1], &d);
	diag_fini(&d);
	/* 16x the hosts and 16x the VMs: 256x the work for scanning every
	 * host (at 4x, scanning measured 14.9 and the pool 5.0). */
	double r = scale_ratio_k(place_many, s, 500, 16);
	if (r >= SCALE_NOT_QUADRATIC_16)
		fail_msg("16x the hosts and VMs cost %.1fx the time", r);
	for (int i = 0; i < 2; i++) {
		scenario_free(s[i]);
		free(y[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_estate_places_each_vm_on_the_host_with_most_free_memory),
		cmocka_unit_test(test_estate_ties_go_to_the_earliest_host),
		cmocka_unit_test(test_estate_ft_secondary_goes_on_another_host_and_takes_memory),
		cmocka_unit_test(test_estate_keeps_anti_affinity_and_pins),
		cmocka_unit_test(test_estate_names_the_vm_that_fits_nowhere),
		cmocka_unit_test(test_estate_cluster_copies_share_the_placement),
		cmocka_unit_test(test_estate_places_as_scanning_every_host_did),
		cmocka_unit_test(test_estate_placement_costs_about_the_vms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
