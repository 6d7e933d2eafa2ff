/*
 * fuzz_scenario: libFuzzer target for the scenario loader. The input is a
 * scenario file in memory: it is parsed into a tree, converted with every
 * check (sweep values included), its errors printed, and, when it is valid,
 * its names expanded; then one scalar is set by path and the copy converted
 * again. Everything is freed: leaks, crashes, hangs and memory blow-ups are
 * findings. Crash reproducers go to tests/data/bad/ as regression files.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "scenarios/diag.h"
#include "scenarios/scenario.h"
#include "scenarios/ynode.h"
#include "tests/fuzz/fuzz_diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expand_names(const struct scenario *s)
{
	char buf[SCENARIO_MAX_NAME_LEN + 1];
	for (size_t i = 0; i < s->nclusters; i++) {
		const struct scenario_cluster *cl = &s->clusters[i];
		if (scenario_name_expand(cl->name, cl->count, buf, sizeof(buf)) < 0)
			abort(); /* a valid scenario's names always expand */
		for (size_t j = 0; j < cl->nhosts; j++)
			if (scenario_name_expand(cl->hosts[j].name, cl->hosts[j].count, buf,
			                         sizeof(buf)) < 0)
				abort();
		for (size_t j = 0; j < cl->nvms; j++)
			if (scenario_name_expand(cl->vms[j].name, cl->vms[j].count, buf,
			                         sizeof(buf)) < 0)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	struct ytree *t = NULL;
	diag_init(&d, "fuzz.yaml");
	ytree_load_buffer((const char *)data, size, "fuzz.yaml", &d, &t);
	if (t) {
		struct scenario *s = scenario_convert(t, &d);
		if (s) {
			scenario_check_sweep(t, s, &d);
			expand_names(s);
			scenario_free(s);
		}
		struct diag_pos at = {1, 1};
		if (ytree_set(t, "clusters[0].vms[0].count", "7", false, at, &d) == 0) {
			s = scenario_convert(t, &d);
			scenario_free(s);
		}
		ytree_free(t);
	}
	fuzz_print_errors(&d);
	diag_fini(&d);
	return 0;
}
