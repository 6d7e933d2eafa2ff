/*
 * Tests of scenarios/import_vcenter (the credentials file's rules) and of
 * what it asks of the estate writer (cluster settings, TPM, DPU, vSphere
 * Pods and comments read from vCenter), loaded back with the real loader.
 * The mapping of the API's objects is tested end to end by
 * tests/cli/vcenter.sh against govmomi's simulator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "scenarios/diag.h"
#include "scenarios/import_vcenter.h"
#include "scenarios/scenario.h"

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void test_import_vcenter_credentials_need_mode_0600(void **state)
{
	(void)state;
	char path[] = "/tmp/lpsim-cred-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char user[64], pass[64], msg[256];
	write_file(path, "# vCenter\nuser=admin@vsphere.local\npassword=p=w #1\n", 0644);
	assert_int_equal(ivc_read_credentials(path, user, pass, sizeof(user), msg, sizeof(msg)),
	                 -EACCES);
	assert_string_equal(msg, "permissions 0644 let others read or write it: chmod 600 it "
	                         "(refused)");
	assert_string_equal(user, "");
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(ivc_read_credentials(path, user, pass, sizeof(user), msg, sizeof(msg)), 0);
	assert_string_equal(user, "admin@vsphere.local");
	assert_string_equal(pass, "p=w #1");
	write_file(path, "user=admin\r\npasswd=secret-value\r\n", 0600);
	assert_int_equal(ivc_read_credentials(path, user, pass, sizeof(user), msg, sizeof(msg)),
	                 -EINVAL);
	assert_string_equal(msg, "line 2: expected user=NAME or password=SECRET");
	write_file(path, "user=admin\n", 0400);
	assert_int_equal(ivc_read_credentials(path, user, pass, sizeof(user), msg, sizeof(msg)),
	                 -EINVAL);
	assert_string_equal(msg, "needs a line user=NAME and a line password=SECRET");
	unlink(path);
	assert_int_equal(ivc_read_credentials(path, user, pass, sizeof(user), msg, sizeof(msg)),
	                 -ENOENT);
}

static void test_import_vcenter_settings_read_are_written_and_load_back(void **state)
{
	(void)state;
	struct iestate *e = iestate_new();
	assert_non_null(e);
	struct iestate_cluster c = {.name = iestate_strdup(e, "prod"),
	                            .drs = IESTATE_YES,
	                            .drs_automation = SCENARIO_DRS_PARTIALLY_AUTOMATED,
	                            .ha = IESTATE_YES,
	                            .ha_admission_pct = 33,
	                            .vsan = IESTATE_YES,
	                            .drs_about = iestate_strdup(e, "from vCenter"),
	                            .ha_about = iestate_strdup(e, "from vCenter"),
	                            .vsan_about = iestate_strdup(e, "from vCenter")};
	assert_int_equal(iestate_add_cluster(e, &c), 0);
	struct iestate_host h = {.name = iestate_strdup(e, "esx-1"),
	                         .cores = 32,
	                         .memory_gb = 256,
	                         .tpm = true,
	                         .dpu = true};
	assert_int_equal(iestate_add_host(e, &h), 0);
	struct iestate_vm v = {.name = iestate_strdup(e, "pod-1"),
	                       .host = 0,
	                       .vcpus = 2,
	                       .memory_gb = 4,
	                       .vsphere_pod = true,
	                       .about =
	                           iestate_strdup(e, "reservation: 0 MHz CPU, 4096 MB memory")};
	assert_int_equal(iestate_add_vm(e, &v), 0);
	struct iestate_meta m = {.command = "lpsim import vcenter",
	                         .scenario_name = "t",
	                         .description = "",
	                         .input = "vCenter",
	                         .live = true};
	struct ilog log;
	ilog_init(&log);
	char *yaml;
	size_t len;
	assert_int_equal(iestate_write(e, &m, &log, &yaml, &len, NULL), 0);
	assert_non_null(strstr(yaml,
	                       "    drs: {enabled: true, automation: \"partially_automated\"}  "
	                       "# from vCenter; manual | partially_automated | "
	                       "fully_automated\n"
	                       "    ha: {enabled: true, admission_control_pct: 33}  # from "
	                       "vCenter\n"
	                       "    vsan: true  # from vCenter; at most one vSAN host"));
	assert_non_null(strstr(yaml, "# reservation: 0 MHz CPU, 4096 MB memory\n"));
	assert_null(strstr(yaml, "not in the export"));
	struct diag d;
	struct scenario *s = NULL;
	diag_init(&d, "t.yaml");
	assert_int_equal(scenario_load_buffer(yaml, len, "t.yaml", &d, &s), 0);
	assert_int_equal(s->clusters[0].drs_automation, SCENARIO_DRS_PARTIALLY_AUTOMATED);
	assert_true(s->clusters[0].vsan);
	assert_true(s->clusters[0].ha_admission_control_pct == 33.0);
	assert_true(s->clusters[0].hosts[0].tpm);
	assert_true(s->clusters[0].hosts[0].dpu);
	assert_true(s->clusters[0].vms[0].vsphere_pod);
	scenario_free(s);
	diag_fini(&d);
	free(yaml);
	ilog_fini(&log);
	iestate_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_import_vcenter_credentials_need_mode_0600),
	    cmocka_unit_test(test_import_vcenter_settings_read_are_written_and_load_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
