/*
 * fuzz_path: libFuzzer target for the sweep PATH parser and setter, the
 * code behind `lpsim sweep --param PATH=V1,V2,...` and a scenario's
 * `sweep:` entries. The input is the --param argument (up to the first NUL
 * or the end). It is parsed (sweep_axis_parse), its path checked against
 * the format (scenario_check_path), planned against a small fixed scenario
 * and checked in it (sweep_check_cli_axes: ytree_set into a clone, then
 * conversion), and the first and last points built. Everything is freed:
 * leaks, crashes, hangs and memory blow-ups are findings. Crash reproducers
 * go to tests/data/bad/ as regression files.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/diag.h"
#include "scenarios/scenario.h"
#include "scenarios/ynode.h"
#include "sim/sweep.h"
#include "tests/fuzz/fuzz_diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Two clusters, a list of hosts and VMs, a named pattern, distributions. */
static const char base[] =
	"lpsim: 1\n"
	"name: fuzz\n"
	"replications: 2\n"
	"vcenter:\n"
	"  remediation:\n"
	"    parallel: {enabled: true, max_hosts: 2}\n"
	"clusters:\n"
	"  - name: c1\n"
	"    hosts: [{name: 'h%02d', count: 3, cores: 32, memory_gb: 512}]\n"
	"    vms:\n"
	"      - {name: 'web-%03d', count: 4, vcpus: 2, memory_gb: 8}\n"
	"      - {name: db, vcpus: 4, memory_gb: 64, ft: true}\n"
	"  - name: c2\n"
	"    hosts: [{name: 'x%d', count: 2, cores: 16, memory_gb: 256}]\n"
	"    vms: [{name: 'v%d', count: 2, vcpus: 1, memory_gb: 4}]\n"
	"patch: {name: p1, live_patchable: true}\n"
	"hardware:\n"
	"  fsr: {stun: {base: 100ms, per_gb: 2ms}, concurrency: 4}\n"
	"  boot: {dist: lognormal, median: 4m, p95: 7m}\n"
	"sweep:\n"
	"  - {path: vcenter.remediation.parallel.max_hosts, values: [1, 2]}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0; /* a command-line argument, not a file */
	char *arg = malloc(size + 1);
	if (!arg)
		return 0;
	memcpy(arg, data, size);
	arg[size] = '\0';

	char why[256];
	struct sweep_axis ax = {0};
	if (sweep_axis_parse(arg, &ax, why, sizeof(why)) != 0) {
		free(arg);
		return 0;
	}

	struct diag d;
	diag_init(&d, "fuzz.yaml");
	struct diag_pos at = {0, 0};
	scenario_check_path(ax.path, &d, at);

	struct ytree *t = NULL;
	ytree_load_buffer(base, sizeof(base) - 1, "fuzz.yaml", &d, &t);
	if (!t)
		abort(); /* the fixed scenario always loads */
	struct scenario *s = scenario_convert(t, &d);
	if (!s)
		abort();
	struct sweep_plan pl;
	if (sweep_plan_init(&pl, s, &ax, 1) == 0) {
		if (sweep_check_cli_axes(t, &pl, &d) == 0) {
			struct scenario *p = sweep_point_scenario(t, &pl, 0, &d);
			scenario_free(p);
			p = sweep_point_scenario(t, &pl, pl.npoints - 1, &d);
			scenario_free(p);
		}
		sweep_plan_fini(&pl);
	}
	sweep_axis_fini(&ax);
	scenario_free(s);
	ytree_free(t);
	fuzz_print_errors(&d);
	diag_fini(&d);
	free(arg);
	return 0;
}
