/* Tests of models/estate: expansion and initial placement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "models/estate.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_estate_places_each_vm_on_the_host_with_most_free_memory),
		cmocka_unit_test(test_estate_ties_go_to_the_earliest_host),
		cmocka_unit_test(test_estate_ft_secondary_goes_on_another_host_and_takes_memory),
		cmocka_unit_test(test_estate_keeps_anti_affinity_and_pins),
		cmocka_unit_test(test_estate_names_the_vm_that_fits_nowhere),
		cmocka_unit_test(test_estate_cluster_copies_share_the_placement),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
