/*
 * replications: replications.csv; see replications.h.
 */
#include "sim/replications.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>

#include "sim/answer.h"

/* ",%.17g", or "," alone for an undefined (NaN or infinite: censored) value. */
static void num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, ",%.17g", v);
	else
		fputc(',', f);
}

static void row(FILE *f, const struct run_result *res, size_t s, size_t r)
{
	const struct rec *x = &res->recs[s][r];
	uint32_t unfinished = 0;
	for (size_t c = 0; c < x->nclusters; c++)
		unfinished += x->clusters[c].unfinished;
	uint32_t nh = (uint32_t)res->e->nhosts;
	fprintf(f, "%s,%zu", scenario_strategy_name(res->opts.strategies[s]), r);
	num(f, x->makespan_s);
	fprintf(f, ",%" PRIu32, nh - x->hosts_blocked - x->hosts_not_started);
	num(f, answer_scope_value(x, ANSWER_MAKESPAN, ANSWER_ESTATE));
	num(f, x->time_to_compliance_s);
	num(f, x->exposure_host_hours);
	num(f, x->downtime_total_s);
	fprintf(f,
	        ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32
	        ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu64
	        "\n",
	        x->hosts_live, x->hosts_classic,
	        nh - x->hosts_blocked - x->hosts_not_started - x->hosts_failed - unfinished,
	        x->hosts_compliant, x->hosts_failed, x->hosts_blocked, x->hosts_not_started,
	        unfinished, x->clusters_compliant, x->vms_fsr, x->vms_vmotion, x->vms_power_cycle,
	        x->vms_powered_off, x->events);
}

int replications_write_csv(FILE *f, const struct run_result *res)
{
	size_t n = res->opts.replications > 0 ? (size_t)res->opts.replications : 0;
	fputs(REPLICATIONS_CSV_HEADER "\n", f);
	for (size_t s = 0; s < res->opts.nstrategies && s < 2; s++)
		for (size_t r = 0; r < n; r++)
			row(f, res, s, r);
	return ferror(f) ? -EIO : 0;
}
