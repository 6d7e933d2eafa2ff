/* Tests of models/scan: eligibility reasons, paths per mode, FSR incompatibility, JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "models/scan.h"

/* A scenario loaded from a string, its estate and its scan. */
struct scanned {
	struct diag d;
	struct scenario *sc;
	struct estate *e;
	struct scan *s;
};

static void scanned_load(struct scanned *x, const char *yaml, bool force_disable)
{
	memset(x, 0, sizeof(*x));
	diag_init(&x->d, "t.yaml");
	int rc = scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &x->d, &x->sc);
	if (rc != 0)
		diag_print(&x->d, stderr);
	assert_int_equal(rc, 0);
	rc = estate_build(x->sc, &x->d, &x->e);
	if (rc != 0)
		diag_print(&x->d, stderr);
	assert_int_equal(rc, 0);
	assert_int_equal(scan_run(x->e, force_disable, &x->s), 0);
}

static void scanned_free(struct scanned *x)
{
	scan_free(x->s);
	estate_free(x->e);
	scenario_free(x->sc);
	diag_fini(&x->d);
}

/* The reasons of the only host of a one-host scenario. */
static unsigned only_host_reasons(const char *yaml)
{
	struct scanned x;
	scanned_load(&x, yaml, false);
	assert_int_equal(x.e->nhosts, 1);
	unsigned r = x.s->host_reasons[0];
	scanned_free(&x);
	return r;
}

#define HEAD       "lpsim: 1\nname: t\n"
#define PATCH      "patch: {name: p}\n"
#define VCENTER(v) "vcenter: {version: " v "}\n"
/* One cluster of one host; extra_host adds keys to the host entry. */
#define ONE_HOST(extra_host)                                                                       \
	"clusters:\n"                                                                              \
	"  - name: c\n"                                                                            \
	"    hosts: [{name: esx-01, cores: 8, memory_gb: 64" extra_host "}]\n"                     \
	"    vms: [{name: v1, vcpus: 1, memory_gb: 8}]\n"

static void test_scan_host_with_no_reason_is_eligible_and_takes_the_live_path(void **state)
{
	(void)state;
	struct scanned x;
	scanned_load(&x, HEAD PATCH ONE_HOST(""), false);
	assert_int_equal(x.s->host_reasons[0], 0);
	assert_int_equal(x.s->host_path[0], SCAN_PATH_LIVE);
	assert_int_equal(x.s->eligible_hosts, 1);
	assert_false(x.s->cluster_blocked[0]);
	assert_int_equal(x.s->cluster_mode[0], SCENARIO_MODE_ENFORCE);
	assert_int_equal(x.s->paths[SCAN_PATH_LIVE], 1);
	assert_int_equal(x.s->nincompat, 0);
	scanned_free(&x);
}

static void test_scan_vcenter_older_than_803_is_a_reason(void **state)
{
	(void)state;
	assert_int_equal(
	    only_host_reasons(HEAD PATCH VCENTER("8.0.2") ONE_HOST(", version: 8.0.3")),
	    SCAN_VCENTER_TOO_OLD);
	assert_int_equal(only_host_reasons(HEAD PATCH VCENTER("8.0.3") ONE_HOST("")), 0);
}

static void test_scan_host_older_than_803_is_a_reason(void **state)
{
	(void)state;
	assert_int_equal(only_host_reasons(HEAD PATCH ONE_HOST(", version: 8.0.2")),
	                 SCAN_HOST_TOO_OLD);
	assert_int_equal(only_host_reasons(HEAD PATCH ONE_HOST(", version: 7.0.3")),
	                 SCAN_HOST_TOO_OLD);
	assert_int_equal(only_host_reasons(HEAD PATCH ONE_HOST(", version: 9.0.0")), 0);
}

static void test_scan_tpm_is_a_reason_by_the_host_version_not_vcenters(void **state)
{
	(void)state;
	assert_int_equal(only_host_reasons(HEAD PATCH VCENTER("8.0.3") ONE_HOST(", tpm: true")),
	                 SCAN_TPM);
	assert_int_equal(
	    only_host_reasons(HEAD PATCH VCENTER("9.0.0") ONE_HOST(", version: 9.0.0, tpm: true")),
	    SCAN_TPM);
	/* vCenter 9.1 does not lift it for a host still on 8.0.3 ... */
	assert_int_equal(
	    only_host_reasons(HEAD PATCH VCENTER("9.1") ONE_HOST(", version: 8.0.3, tpm: true")),
	    SCAN_TPM);
	/* ... a host on ESXi 9.1 lifts it. */
	assert_int_equal(
	    only_host_reasons(HEAD PATCH VCENTER("9.1") ONE_HOST(", version: 9.1, tpm: true")), 0);
	assert_int_equal(
	    only_host_reasons(HEAD PATCH VCENTER("9.1") ONE_HOST(", version: 9.1.1, tpm: true")), 0);
}

static void test_scan_vmkernel_and_daemons_need_esxi_and_vcenter_90(void **state)
{
	(void)state;
	static const char *const comps[] = {"[vmkernel]", "[daemons]", "[vmx, vmkernel]",
	                                    "[daemons, vmx]"};
	char yaml[1024];
	for (size_t i = 0; i < sizeof(comps) / sizeof(comps[0]); i++) {
		snprintf(yaml, sizeof(yaml),
		         HEAD "patch: {name: p, components: %s}\n" VCENTER("9.0") ONE_HOST(
		             ", version: 8.0.3"),
		         comps[i]);
		assert_int_equal(only_host_reasons(yaml), SCAN_HOST_TOO_OLD);
		snprintf(yaml, sizeof(yaml),
		         HEAD "patch: {name: p, components: %s}\n" VCENTER("8.0.3") ONE_HOST(
		             ", version: 9.0"),
		         comps[i]);
		assert_int_equal(only_host_reasons(yaml), SCAN_VCENTER_TOO_OLD);
		snprintf(yaml, sizeof(yaml),
		         HEAD "patch: {name: p, components: %s}\n" VCENTER("9.0") ONE_HOST(
		             ", version: 9.0"),
		         comps[i]);
		assert_int_equal(only_host_reasons(yaml), 0);
	}
	/* vmx alone: from 8.0 U3. */
	assert_int_equal(only_host_reasons(HEAD "patch: {name: p, components: [vmx]}\n" VCENTER(
	                     "8.0.3") ONE_HOST(", version: 8.0.3")),
	                 0);
	assert_int_equal(scan_min_version(SCENARIO_COMPONENT_VMX), SCENARIO_VERSION(8, 0, 3));
	assert_int_equal(scan_min_version(SCENARIO_COMPONENT_DAEMONS), SCENARIO_VERSION(9, 0, 0));
}

static void test_scan_a_host_on_another_build_than_the_patchs_base_build_is_ineligible(void **state)
{
	(void)state;
	/* The patch applies to build 24755229 only. */
#define BASE "patch: {name: p, base_build: 24755229}\n"
	assert_int_equal(only_host_reasons(HEAD BASE ONE_HOST(", build: 24755229")), 0);
	assert_int_equal(only_host_reasons(HEAD BASE ONE_HOST(", build: 24585383")),
	                 SCAN_BASE_BUILD);
	/* A host without `build` is taken to be on the base build. */
	assert_int_equal(only_host_reasons(HEAD BASE ONE_HOST("")), 0);
	/* A patch without base_build applies to any build. */
	assert_int_equal(only_host_reasons(HEAD PATCH ONE_HOST(", build: 24585383")), 0);
#undef BASE
	/* In auto mode the host on another build goes classic; in enforce it blocks. */
	struct scanned x;
	scanned_load(&x,
	             HEAD "patch: {name: p, base_build: 100}\n" VCENTER("9.1")
	                  "clusters:\n"
	                  "  - name: c\n"
	                  "    live_patch_mode: auto\n"
	                  "    hosts:\n"
	                  "      - {name: a, cores: 8, memory_gb: 64, build: 100}\n"
	                  "      - {name: b, cores: 8, memory_gb: 64, build: 99}\n"
	                  "    vms: []\n",
	             false);
	assert_int_equal(x.s->host_path[0], SCAN_PATH_LIVE);
	assert_int_equal(x.s->host_path[1], SCAN_PATH_CLASSIC);
	assert_int_equal(x.s->host_reasons[1], SCAN_BASE_BUILD);
	scanned_free(&x);
}

static void test_scan_dpu_is_a_reason(void **state)
{
	(void)state;
	assert_int_equal(only_host_reasons(HEAD PATCH ONE_HOST(", dpu: true")), SCAN_DPU);
	assert_int_equal(only_host_reasons(HEAD PATCH VCENTER("9.1") ONE_HOST(", dpu: true")),
	                 SCAN_DPU);
}

static void test_scan_drs_disabled_or_not_fully_automated_is_a_reason(void **state)
{
	(void)state;
	static const char *const drs[] = {
	    "{enabled: true, automation: partially_automated}",
	    "{enabled: true, automation: manual}",
	    "{enabled: false}",
	    "{enabled: false, automation: fully_automated}",
	};
	char yaml[1024];
	for (size_t i = 0; i < sizeof(drs) / sizeof(drs[0]); i++) {
		snprintf(yaml, sizeof(yaml),
		         HEAD PATCH "clusters:\n"
		                    "  - name: c\n"
		                    "    drs: %s\n"
		                    "    hosts: [{name: esx-01, cores: 8, memory_gb: 64}]\n"
		                    "    vms: [{name: v1, vcpus: 1, memory_gb: 8}]\n",
		         drs[i]);
		assert_int_equal(only_host_reasons(yaml), SCAN_DRS_NOT_FULLY_AUTOMATED);
	}
	snprintf(yaml, sizeof(yaml),
	         HEAD PATCH "clusters:\n"
	                    "  - name: c\n"
	                    "    drs: {enabled: true, automation: fully_automated}\n"
	                    "    hosts: [{name: esx-01, cores: 8, memory_gb: 64}]\n"
	                    "    vms: [{name: v1, vcpus: 1, memory_gb: 8}]\n");
	assert_int_equal(only_host_reasons(yaml), 0);
}

static void test_scan_patch_not_live_patchable_is_a_reason_on_every_host(void **state)
{
	(void)state;
	struct scanned x;
	scanned_load(&x,
	             HEAD "patch: {name: p, live_patchable: false}\n" VCENTER("9.1")
	                  "clusters:\n"
	                  "  - name: c\n"
	                  "    live_patch_mode: auto\n"
	                  "    hosts: [{name: esx-%02d, count: 3, cores: 8, memory_gb: 64}]\n"
	                  "    vms: [{name: v1, vcpus: 1, memory_gb: 8}]\n",
	             false);
	for (size_t h = 0; h < 3; h++) {
		assert_int_equal(x.s->host_reasons[h], SCAN_PATCH_NOT_LIVE_PATCHABLE);
		assert_int_equal(x.s->host_path[h], SCAN_PATH_CLASSIC);
	}
	assert_int_equal(x.s->eligible_hosts, 0);
	scanned_free(&x);
}

static void test_scan_free_memory_below_the_temporary_reservation_is_a_reason(void **state)
{
	(void)state;
	/* 64 GB hosts: 62 GB placed leaves exactly the 2 GB reserved; 63 GB leaves too little. */
	struct scanned x;
	scanned_load(&x,
	             HEAD
	             "patch: {name: p, memory_reservation_gb: {temporary: 2, permanent: 1}}\n"
	             VCENTER("9.1")
	             "clusters:\n"
	             "  - name: c\n"
	             "    live_patch_mode: auto\n"
	             "    hosts: [{name: esx-%02d, count: 2, cores: 8, memory_gb: 64}]\n"
	             "    vms:\n"
	             "      - {name: a, vcpus: 1, memory_gb: 62, host: esx-01}\n"
	             "      - {name: b, vcpus: 1, memory_gb: 62, host: esx-02, power: off}\n"
	             "      - {name: c, vcpus: 1, memory_gb: 1, host: esx-02, power: suspended}\n",
	             false);
	assert_int_equal(x.s->host_reasons[0], 0);
	assert_int_equal(x.s->host_path[0], SCAN_PATH_LIVE);
	/* Powered-off and suspended VMs keep their memory: 64 - 62 - 1 = 1 < 2. */
	assert_int_equal(x.s->host_reasons[1], SCAN_INSUFFICIENT_MEMORY);
	assert_int_equal(x.s->host_path[1], SCAN_PATH_CLASSIC);
	assert_true(x.s->host_free_gb[0] == 2.0);
	assert_true(x.s->host_free_gb[1] == 1.0);
	scanned_free(&x);
}

static void test_scan_ft_secondaries_take_memory_from_their_host(void **state)
{
	(void)state;
	/* The FT VM's primary goes on esx-01, its secondary on esx-02: 24 GB left on each. */
	struct scanned x;
	scanned_load(&x,
	             HEAD "patch: {name: p, memory_reservation_gb: {temporary: 30}}\n"
	                  "clusters:\n"
	                  "  - name: c\n"
	                  "    hosts: [{name: esx-%02d, count: 2, cores: 8, memory_gb: 64}]\n"
	                  "    vms: [{name: ft1, vcpus: 1, memory_gb: 40, ft: true}]\n",
	             false);
	assert_int_equal(x.e->vms[0].host, 0);
	assert_int_equal(x.e->vms[0].secondary, 1);
	assert_int_equal(x.s->host_reasons[0], SCAN_INSUFFICIENT_MEMORY);
	assert_int_equal(x.s->host_reasons[1], SCAN_INSUFFICIENT_MEMORY);
	assert_true(x.s->host_free_gb[1] == 24.0);
	/* Only the primary's host lists the FT VM. */
	assert_int_equal(x.s->host_incompat0[1] - x.s->host_incompat0[0], 1);
	assert_int_equal(x.s->host_incompat0[2] - x.s->host_incompat0[1], 0);
	scanned_free(&x);
}

static void test_scan_memory_that_adds_up_exactly_on_paper_is_enough(void **state)
{
	(void)state;
	/* 2 VMs of 0.1 GB on a 2 GB host: 1.8 GB left on paper, 1.7999999999999998 in binary. */
	assert_int_equal(
	    only_host_reasons(HEAD "patch: {name: p, memory_reservation_gb: {temporary: 1.8}}\n"
	                           "clusters:\n"
	                           "  - name: c\n"
	                           "    hosts: [{name: esx-01, cores: 8, memory_gb: 2}]\n"
	                           "    vms: [{name: v%d, count: 2, vcpus: 1, memory_gb: 0.1}]\n"),
	    0);
	/* A real shortfall, however small, still counts. */
	assert_int_equal(
	    only_host_reasons(HEAD "patch: {name: p, memory_reservation_gb: {temporary: 1.81}}\n"
	                           "clusters:\n"
	                           "  - name: c\n"
	                           "    hosts: [{name: esx-01, cores: 8, memory_gb: 2}]\n"
	                           "    vms: [{name: v%d, count: 2, vcpus: 1, memory_gb: 0.1}]\n"),
	    SCAN_INSUFFICIENT_MEMORY);
}

static void test_scan_mode_disable_is_a_reason_and_sends_every_host_classic(void **state)
{
	(void)state;
	struct scanned x;
	scanned_load(&x,
	             HEAD PATCH "vcenter: {live_patch_mode: disable}\n"
	                        "clusters:\n"
	                        "  - name: c\n"
	                        "    hosts: [{name: esx-%02d, count: 2, cores: 8, memory_gb: 64}]\n"
	                        "    vms: [{name: v1, vcpus: 1, memory_gb: 8}]\n",
	             false);
	assert_int_equal(x.s->cluster_mode[0], SCENARIO_MODE_DISABLE);
	assert_false(x.s->cluster_blocked[0]);
	for (size_t h = 0; h < 2; h++) {
		assert_int_equal(x.s->host_reasons[h], SCAN_LIVE_PATCH_DISABLED);
		assert_int_equal(x.s->host_path[h], SCAN_PATH_CLASSIC);
	}
	assert_int_equal(x.s->paths[SCAN_PATH_CLASSIC], 2);
	assert_int_equal(x.s->blocked_clusters, 0);
	scanned_free(&x);
}

static void test_scan_reports_every_reason_that_applies(void **state)
{
	(void)state;
	struct scanned x;
	scanned_load(&x,
	             HEAD "vcenter: {version: 8.0.2, live_patch_mode: disable}\n"
	                  "patch: {name: p, live_patchable: false, base_build: 24755229,\n"
	                  "        memory_reservation_gb: {temporary: 8}}\n"
	                  "clusters:\n"
	                  "  - name: c\n"
	                  "    drs: {enabled: true, automation: manual}\n"
	                  "    hosts:\n"
	                  "      - {name: old, version: 7.0.3, tpm: true, dpu: true, cores: 8,\n"
	                  "         memory_gb: 64, build: 24000000}\n"
	                  "      - {name: new, version: 8.0.3, cores: 8, memory_gb: 64}\n"
	                  "    vms: [{name: big, vcpus: 1, memory_gb: 60, host: old}]\n",
	             false);
	assert_int_equal(x.s->host_reasons[0], (1u << SCAN_NREASONS) - 1);
	assert_int_equal(x.s->host_reasons[1], SCAN_VCENTER_TOO_OLD | SCAN_DRS_NOT_FULLY_AUTOMATED |
	                                           SCAN_PATCH_NOT_LIVE_PATCHABLE |
	                                           SCAN_LIVE_PATCH_DISABLED);
	scanned_free(&x);
}

/* Two clusters: c1 with a DPU host among three, c2 clean; modes from the argument. */
static void scan_two_clusters(struct scanned *x, const char *c1_mode, bool force_disable)
{
	char yaml[1024];
	snprintf(yaml, sizeof(yaml),
	         HEAD PATCH VCENTER("9.1") "clusters:\n"
	                    "  - name: c1\n"
	                    "    live_patch_mode: %s\n"
	                    "    hosts:\n"
	                    "      - {name: esx-01, cores: 8, memory_gb: 64}\n"
	                    "      - {name: esx-02, cores: 8, memory_gb: 64, dpu: true}\n"
	                    "      - {name: esx-03, cores: 8, memory_gb: 64}\n"
	                    "    vms: [{name: v1, vcpus: 1, memory_gb: 8}]\n"
	                    "  - name: c2\n"
	                    "    hosts: [{name: esx-%%02d, count: 2, cores: 8, memory_gb: 64}]\n"
	                    "    vms: [{name: v1, vcpus: 1, memory_gb: 8}]\n",
	         c1_mode);
	scanned_load(x, yaml, force_disable);
	assert_int_equal(x->e->nclusters, 2);
	assert_int_equal(x->e->nhosts, 5);
}

static void test_scan_enforce_blocks_the_whole_cluster_for_one_ineligible_host(void **state)
{
	(void)state;
	struct scanned x;
	scan_two_clusters(&x, "enforce", false);
	assert_true(x.s->cluster_blocked[0]);
	assert_int_equal(x.s->host_reasons[0], 0);
	assert_int_equal(x.s->host_reasons[1], SCAN_DPU);
	assert_int_equal(x.s->host_reasons[2], 0);
	for (size_t h = 0; h < 3; h++)
		assert_int_equal(x.s->host_path[h], SCAN_PATH_NONE);
	/* The other cluster is not held back. */
	assert_false(x.s->cluster_blocked[1]);
	assert_int_equal(x.s->host_path[3], SCAN_PATH_LIVE);
	assert_int_equal(x.s->host_path[4], SCAN_PATH_LIVE);
	assert_int_equal(x.s->eligible_hosts, 4);
	assert_int_equal(x.s->paths[SCAN_PATH_NONE], 3);
	assert_int_equal(x.s->paths[SCAN_PATH_LIVE], 2);
	assert_int_equal(x.s->blocked_clusters, 1);
	scanned_free(&x);
}

static void test_scan_auto_sends_eligible_hosts_live_and_the_others_classic(void **state)
{
	(void)state;
	struct scanned x;
	scan_two_clusters(&x, "auto", false);
	assert_int_equal(x.s->cluster_mode[0], SCENARIO_MODE_AUTO);
	assert_int_equal(x.s->cluster_mode[1], SCENARIO_MODE_ENFORCE);
	assert_false(x.s->cluster_blocked[0]);
	assert_int_equal(x.s->host_path[0], SCAN_PATH_LIVE);
	assert_int_equal(x.s->host_path[1], SCAN_PATH_CLASSIC);
	assert_int_equal(x.s->host_path[2], SCAN_PATH_LIVE);
	assert_int_equal(x.s->paths[SCAN_PATH_LIVE], 4);
	assert_int_equal(x.s->paths[SCAN_PATH_CLASSIC], 1);
	assert_int_equal(x.s->blocked_clusters, 0);
	scanned_free(&x);
}

static void test_scan_force_disable_sends_every_host_classic(void **state)
{
	(void)state;
	struct scanned x;
	scan_two_clusters(&x, "enforce", true);
	assert_true(x.s->force_disable);
	for (size_t c = 0; c < 2; c++) {
		assert_int_equal(x.s->cluster_mode[c], SCENARIO_MODE_DISABLE);
		assert_false(x.s->cluster_blocked[c]);
	}
	for (size_t h = 0; h < 5; h++) {
		assert_true(x.s->host_reasons[h] & SCAN_LIVE_PATCH_DISABLED);
		assert_int_equal(x.s->host_path[h], SCAN_PATH_CLASSIC);
	}
	assert_int_equal(x.s->host_reasons[1], SCAN_DPU | SCAN_LIVE_PATCH_DISABLED);
	assert_int_equal(x.s->eligible_hosts, 0);
	assert_int_equal(x.s->paths[SCAN_PATH_CLASSIC], 5);
	scanned_free(&x);
}

static void test_scan_counts_a_vm_under_each_of_its_incompatibilities(void **state)
{
	(void)state;
	struct scanned x;
	scanned_load(&x,
	             HEAD PATCH
	             "clusters:\n"
	             "  - name: c\n"
	             "    hosts: [{name: esx-%02d, count: 2, cores: 16, memory_gb: 256}]\n"
	             "    vms:\n"
	             "      - {name: plain, vcpus: 1, memory_gb: 8}\n"
	             "      - {name: ftsql, vcpus: 1, memory_gb: 8, ft: true,\n"
	             "         shared_disk: true}\n"
	             "      - {name: gpu-%d, count: 2, vcpus: 1, memory_gb: 8,\n"
	             "         directpath: true, power: off}\n"
	             "      - {name: pod, vcpus: 1, memory_gb: 8, vsphere_pod: true}\n"
	             "      - {name: wsfc, vcpus: 1, memory_gb: 8, shared_disk: true,\n"
	             "         host: esx-02}\n",
	             false);
	assert_int_equal(x.s->vm_incompat[0], 0);
	assert_int_equal(x.s->vm_incompat[1], SCAN_FT | SCAN_SHARED_DISK);
	assert_int_equal(x.s->vm_incompat[2], SCAN_DIRECTPATH);
	assert_int_equal(x.s->vm_incompat[3], SCAN_DIRECTPATH);
	assert_int_equal(x.s->vm_incompat[4], SCAN_VSPHERE_POD);
	assert_int_equal(x.s->vm_incompat[5], SCAN_SHARED_DISK);
	assert_int_equal(x.s->incompatible[0], 1); /* ft */
	assert_int_equal(x.s->incompatible[1], 2); /* directpath, powered off or not */
	assert_int_equal(x.s->incompatible[2], 1); /* vsphere_pod */
	assert_int_equal(x.s->incompatible[3], 2); /* shared_disk */
	assert_int_equal(x.s->nincompat, 5);
	/* Each incompatible VM is listed once, under its primary's host, in inventory order. */
	assert_int_equal(x.s->host_incompat0[0], 0);
	assert_int_equal(x.s->host_incompat0[2], 5);
	for (size_t h = 0; h < 2; h++) {
		uint32_t prev = 0;
		for (uint32_t i = x.s->host_incompat0[h]; i < x.s->host_incompat0[h + 1]; i++) {
			uint32_t v = x.s->incompat_vms[i];
			assert_int_equal(x.e->vms[v].host, h);
			assert_true(x.s->vm_incompat[v] != 0);
			assert_true(i == x.s->host_incompat0[h] || v > prev);
			prev = v;
		}
	}
	/* VMs are never a host reason. */
	assert_int_equal(x.s->eligible_hosts, 2);
	scanned_free(&x);
}

static void test_scan_indexes_incompatible_vms_of_cluster_copies_by_host(void **state)
{
	(void)state;
	struct scanned x;
	scanned_load(&x,
	             HEAD PATCH
	             "clusters:\n"
	             "  - name: cl-%02d\n"
	             "    count: 3\n"
	             "    hosts: [{name: esx-%02d, count: 2, cores: 16, memory_gb: 256}]\n"
	             "    vms:\n"
	             "      - {name: a, vcpus: 1, memory_gb: 8}\n"
	             "      - {name: pod, vcpus: 1, memory_gb: 8, vsphere_pod: true}\n",
	             false);
	assert_int_equal(x.s->nincompat, 3);
	assert_int_equal(x.s->incompatible[2], 3);
	for (size_t c = 0; c < 3; c++) {
		/* a on esx-01, pod on esx-02 (more free memory) in each copy. */
		size_t h = 2 * c + 1;
		assert_int_equal(x.s->host_incompat0[h + 1] - x.s->host_incompat0[h], 1);
		assert_int_equal(x.s->incompat_vms[x.s->host_incompat0[h]], 2 * c + 1);
		assert_int_equal(x.s->host_incompat0[h] - x.s->host_incompat0[h - 1], 0);
	}
	scanned_free(&x);
}

static void test_scan_names_reasons_incompatibilities_and_paths(void **state)
{
	(void)state;
	static const char *const reasons[] = {
	    "vcenter_too_old",
	    "host_too_old",
	    "tpm",
	    "base_build",
	    "dpu",
	    "drs_not_fully_automated",
	    "patch_not_live_patchable",
	    "insufficient_memory",
	    "live_patch_disabled",
	};
	assert_int_equal(sizeof(reasons) / sizeof(reasons[0]), SCAN_NREASONS);
	for (unsigned i = 0; i < SCAN_NREASONS; i++) {
		assert_string_equal(scan_reason_name(1u << i), reasons[i]);
		assert_non_null(scan_reason_explain(1u << i));
		assert_null(strchr(scan_reason_explain(1u << i), '\n'));
	}
	assert_null(scan_reason_explain(0));
	assert_string_equal(scan_reason_name(SCAN_TPM), "tpm");
	assert_null(scan_reason_name(0));
	assert_null(scan_reason_name(SCAN_TPM | SCAN_DPU));
	assert_null(scan_reason_name(1u << SCAN_NREASONS));
	assert_string_equal(scan_incompat_name(SCAN_FT), "ft");
	assert_string_equal(scan_incompat_name(SCAN_DIRECTPATH), "directpath");
	assert_string_equal(scan_incompat_name(SCAN_VSPHERE_POD), "vsphere_pod");
	assert_string_equal(scan_incompat_name(SCAN_SHARED_DISK), "shared_disk");
	assert_null(scan_incompat_name(1u << SCAN_NINCOMPAT));
	assert_string_equal(scan_path_name(SCAN_PATH_LIVE), "live");
	assert_string_equal(scan_path_name(SCAN_PATH_CLASSIC), "classic");
	assert_string_equal(scan_path_name(SCAN_PATH_NONE), "none");
	assert_null(scan_path_name((enum scan_path)3));
}

/* What f wrote, as a malloc'd string. */
static char *json_of(const struct scanned *x)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(scan_write_json(f, x->e, x->s), 0);
	fclose(f);
	return buf;
}

static void test_scan_writes_the_json_document_of_results_md(void **state)
{
	(void)state;
	struct scanned x;
	scanned_load(&x,
	             HEAD
	             "vcenter: {version: 9.1, live_patch_mode: enforce}\n"
	             "patch: {name: p, memory_reservation_gb: {temporary: 2}}\n"
	             "clusters:\n"
	             "  - name: a\n"
	             "    hosts: [{name: esx-%02d, count: 2, cores: 8, memory_gb: 64}]\n"
	             "    vms:\n"
	             "      - {name: sql-01, vcpus: 2, memory_gb: 8, shared_disk: true, ft: true}\n"
	             "      - {name: web-01, vcpus: 2, memory_gb: 8}\n"
	             "  - name: b\n"
	             "    live_patch_mode: auto\n"
	             "    hosts:\n"
	             "      - {name: esx-01, cores: 8, memory_gb: 64}\n"
	             "      - {name: esx-02, cores: 8, memory_gb: 64, tpm: true, version: 8.0.3}\n"
	             "    vms: [{name: gpu-01, vcpus: 2, memory_gb: 8, directpath: true}]\n"
	             "  - name: c\n"
	             "    hosts:\n"
	             "      - {name: esx-01, cores: 8, memory_gb: 64, dpu: true, version: 8.0.2}\n"
	             "    vms: [{name: pod-01, vcpus: 2, memory_gb: 8, vsphere_pod: true}]\n",
	             false);
	char *json = json_of(&x);
	assert_string_equal(
	    json,
	    "{\"clusters\": [\n"
	    "  {\"name\": \"a\", \"mode\": \"enforce\", \"blocked\": false, \"hosts\": [\n"
	    "    {\"name\": \"esx-01\", \"eligible\": true, \"reasons\": [], \"path\": \"live\", "
	    "\"fsr_incompatible\": [{\"vm\": \"sql-01\", \"reasons\": [\"ft\", "
	    "\"shared_disk\"]}]},\n"
	    "    {\"name\": \"esx-02\", \"eligible\": true, \"reasons\": [], \"path\": \"live\", "
	    "\"fsr_incompatible\": []}]},\n"
	    "  {\"name\": \"b\", \"mode\": \"auto\", \"blocked\": false, \"hosts\": [\n"
	    "    {\"name\": \"esx-01\", \"eligible\": true, \"reasons\": [], \"path\": \"live\", "
	    "\"fsr_incompatible\": [{\"vm\": \"gpu-01\", \"reasons\": [\"directpath\"]}]},\n"
	    "    {\"name\": \"esx-02\", \"eligible\": false, \"reasons\": [\"tpm\"], \"path\": "
	    "\"classic\", \"fsr_incompatible\": []}]},\n"
	    "  {\"name\": \"c\", \"mode\": \"enforce\", \"blocked\": true, \"hosts\": [\n"
	    "    {\"name\": \"esx-01\", \"eligible\": false, \"reasons\": [\"host_too_old\", "
	    "\"dpu\"], "
	    "\"path\": \"none\", \"fsr_incompatible\": [{\"vm\": \"pod-01\", \"reasons\": "
	    "[\"vsphere_pod\"]}]}]}],\n"
	    " \"totals\": {\"hosts\": 5, \"eligible\": 3, \"vms\": 4,\n"
	    "  \"incompatible\": {\"ft\": 1, \"directpath\": 1, \"vsphere_pod\": 1, "
	    "\"shared_disk\": 1}}}\n");
	free(json);
	scanned_free(&x);
}

static void test_scan_json_output_is_the_same_every_time(void **state)
{
	(void)state;
	struct scanned x, y;
	scan_two_clusters(&x, "auto", false);
	scan_two_clusters(&y, "auto", false);
	char *a = json_of(&x), *b = json_of(&y), *c = json_of(&x);
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	free(a);
	free(b);
	free(c);
	scanned_free(&x);
	scanned_free(&y);
}

static void test_scan_json_strings_escape_quotes_backslashes_and_control_characters(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	scan_json_string(f, "a\"b\\c\nd\te\x01\x1f\x7f/\xc3\xa9");
	fclose(f);
	assert_string_equal(buf, "\"a\\\"b\\\\c\\nd\\te\\u0001\\u001f\x7f/\xc3\xa9\"");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scan_host_with_no_reason_is_eligible_and_takes_the_live_path),
	    cmocka_unit_test(test_scan_vcenter_older_than_803_is_a_reason),
	    cmocka_unit_test(test_scan_host_older_than_803_is_a_reason),
	    cmocka_unit_test(test_scan_tpm_is_a_reason_by_the_host_version_not_vcenters),
	    cmocka_unit_test(test_scan_vmkernel_and_daemons_need_esxi_and_vcenter_90),
	    cmocka_unit_test(test_scan_a_host_on_another_build_than_the_patchs_base_build_is_ineligible),
	    cmocka_unit_test(test_scan_dpu_is_a_reason),
	    cmocka_unit_test(test_scan_drs_disabled_or_not_fully_automated_is_a_reason),
	    cmocka_unit_test(test_scan_patch_not_live_patchable_is_a_reason_on_every_host),
	    cmocka_unit_test(test_scan_free_memory_below_the_temporary_reservation_is_a_reason),
	    cmocka_unit_test(test_scan_ft_secondaries_take_memory_from_their_host),
	    cmocka_unit_test(test_scan_memory_that_adds_up_exactly_on_paper_is_enough),
	    cmocka_unit_test(test_scan_mode_disable_is_a_reason_and_sends_every_host_classic),
	    cmocka_unit_test(test_scan_reports_every_reason_that_applies),
	    cmocka_unit_test(test_scan_enforce_blocks_the_whole_cluster_for_one_ineligible_host),
	    cmocka_unit_test(test_scan_auto_sends_eligible_hosts_live_and_the_others_classic),
	    cmocka_unit_test(test_scan_force_disable_sends_every_host_classic),
	    cmocka_unit_test(test_scan_counts_a_vm_under_each_of_its_incompatibilities),
	    cmocka_unit_test(test_scan_indexes_incompatible_vms_of_cluster_copies_by_host),
	    cmocka_unit_test(test_scan_names_reasons_incompatibilities_and_paths),
	    cmocka_unit_test(test_scan_writes_the_json_document_of_results_md),
	    cmocka_unit_test(test_scan_json_output_is_the_same_every_time),
	    cmocka_unit_test(
	        test_scan_json_strings_escape_quotes_backslashes_and_control_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
