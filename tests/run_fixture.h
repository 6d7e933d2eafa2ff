/*
 * run_fixture: a scenario from a string, run in full (sim/run.h), for the
 * cmocka tests of whole replications. Include after <cmocka.h>.
 */
#ifndef LPSIM_TESTS_RUN_FIXTURE_H
#define LPSIM_TESTS_RUN_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "sim/run.h"

struct fixture {
	struct diag d;
	struct scenario *sc;
	struct estate *e;
	struct run_result res;
};

/* Loads yaml (which must be valid) and runs reps replications of the first
 * nstrat of {first, classic} with *seed (NULL: the scenario's) on `jobs`
 * threads. */
static inline void fixture_run(struct fixture *f, const char *yaml, const uint64_t *seed, long reps,
			       int jobs, size_t nstrat, enum scenario_strategy first)
{
	memset(f, 0, sizeof(*f));
	diag_init(&f->d, "t.yaml");
	int rc = scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &f->d, &f->sc);
	if (rc)
		diag_print(&f->d, stderr);
	assert_int_equal(rc, 0);
	assert_int_equal(estate_build(f->sc, &f->d, &f->e), 0);
	struct run_opts o = {
		.seed = seed ? *seed : f->sc->seed,
		.replications = reps,
		.nstrategies = nstrat,
		.strategies = {first, SCENARIO_STRATEGY_CLASSIC},
		.jobs = jobs,
	};
	assert_int_equal(run_replications(f->sc, f->e, &o, NULL, &f->res), 0);
}

static inline void fixture_fini(struct fixture *f)
{
	run_result_fini(&f->res);
	estate_free(f->e);
	scenario_free(f->sc);
	diag_fini(&f->d);
}

#endif
