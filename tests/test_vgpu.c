/* Tests of models/vgpu: the vGPU stun of a vMotion, from VMware's 10 GbE table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include <cmocka.h>

#include "models/vgpu.h"
#include "tests/run_fixture.h"

static void near(double got, double want)
{
	if (fabs(got - want) > 1e-9)
		fail_msg("got %.12g, want %.12g", got, want);
}

static void test_vgpu_stun_is_the_published_table_at_10_gbe(void **state)
{
	(void)state;
	static const double gb[] = {1, 2, 4, 8, 16, 32};
	static const double s[] = {2, 4, 6, 12, 22, 39};
	for (int i = 0; i < 6; i++)
		near(vgpu_vmotion_stun_s(gb[i], 10, 10), s[i]);
}

static void test_vgpu_stun_is_interpolated_between_the_points(void **state)
{
	(void)state;
	near(vgpu_vmotion_stun_s(3, 10, 10), 5);     /* halfway 4 s .. 6 s */
	near(vgpu_vmotion_stun_s(24, 10, 10), 30.5); /* halfway 22 s .. 39 s */
	near(vgpu_vmotion_stun_s(0.5, 10, 10), 1);   /* from 0 GB, 0 s */
	near(vgpu_vmotion_stun_s(48, 10, 10), 56);   /* 39 + 16 x 17/16 */
}

static void test_vgpu_stun_scales_with_the_slower_link(void **state)
{
	(void)state;
	near(vgpu_vmotion_stun_s(32, 25, 25), 15.6); /* 39 x 10 / 25 */
	near(vgpu_vmotion_stun_s(32, 25, 10), 39);   /* the destination is slower */
	near(vgpu_vmotion_stun_s(16, 100, 40), 5.5); /* 22 x 10 / 40 */
}

static void test_vgpu_no_frame_buffer_adds_nothing(void **state)
{
	(void)state;
	near(vgpu_vmotion_stun_s(0, 10, 10), 0);
	near(vgpu_vmotion_stun_s(-1, 10, 10), 0);
}

/*
 * A whole classic run: gpu (8 GB, dirtying nothing, 16 GB of frame buffer
 * in use) sits on h2 of two 10 GbE hosts. h1 goes first (nothing to move),
 * then h2 is evacuated: gpu's one vMotion stuns it for the memory
 * switchover (nothing dirtied: the switchover overhead, 0.2 s) plus the
 * table's 22 s. Without passthrough_drs_automation DRS does not move it,
 * so with do_not_change h2 never enters maintenance mode and fails.
 */
static const char *gpu_yaml(bool passthrough)
{
	static char y[1024];
	snprintf(
	    y, sizeof(y),
	    "lpsim: 1\nname: t\npatch: {name: p}\nstrategies: [classic]\n"
	    "vcenter: {remediation: {failure_action: {retry_count: 0}}}\n"
	    "clusters:\n"
	    "  - name: c\n"
	    "    passthrough_drs_automation: %s\n"
	    "    hosts: [{name: h%%d, count: 2, cores: 16, memory_gb: 256, vmotion_gbps: 10}]\n"
	    "    vms: [{name: gpu, vcpus: 4, memory_gb: 8, dirty_mb_per_s: 0, vgpu_gb: 16,\n"
	    "           host: h2}]\n",
	    passthrough ? "true" : "false");
	return y;
}

static void test_vgpu_vmotion_stun_adds_the_frame_buffer_term_in_a_run(void **state)
{
	(void)state;
	struct fixture f;
	fixture_run(&f, gpu_yaml(true), NULL, 1, 1, 1, SCENARIO_STRATEGY_CLASSIC);
	const struct rec *r = &f.res.recs[0][0];
	assert_int_equal(r->vms_vmotion, 1);
	near(r->vm_downtime[0], 22.2);
	assert_int_equal(r->hosts_compliant, 2);
	fixture_fini(&f);
}

static void test_vgpu_vm_without_passthrough_drs_automation_is_not_evacuated(void **state)
{
	(void)state;
	struct fixture f;
	fixture_run(&f, gpu_yaml(false), NULL, 1, 1, 1, SCENARIO_STRATEGY_CLASSIC);
	const struct rec *r = &f.res.recs[0][0];
	assert_int_equal(r->vms_vmotion, 0);
	near(r->vm_downtime[0], 0);
	assert_int_equal(r->hosts_compliant, 1); /* h1 only: h2 cannot enter maintenance mode */
	fixture_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vgpu_stun_is_the_published_table_at_10_gbe),
	    cmocka_unit_test(test_vgpu_stun_is_interpolated_between_the_points),
	    cmocka_unit_test(test_vgpu_stun_scales_with_the_slower_link),
	    cmocka_unit_test(test_vgpu_no_frame_buffer_adds_nothing),
	    cmocka_unit_test(test_vgpu_vmotion_stun_adds_the_frame_buffer_term_in_a_run),
	    cmocka_unit_test(test_vgpu_vm_without_passthrough_drs_automation_is_not_evacuated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
