/*
 * lpsim bench: the kernel's hold model.
 *
 * P events are pending; each fired event schedules itself again at
 * now + Exp(1) s, so the queue size stays at P. This is the classic
 * benchmark of event-set algorithms; it goes through the real kernel API
 * (sim_schedule, sim_run, handler dispatch) and the real random streams.
 */
#include "sim/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_randist.h>

#include "sim/rng.h"
#include "sim/sim.h"

enum { EV_HOLD };

struct hold {
	gsl_rng *r;
	uint64_t budget; /* events still to fire */
	bool failed;
};

static void on_hold(struct sim *s, const struct sim_event *ev, void *ctx)
{
	struct hold *h = ctx;
	if (--h->budget == 0) {
		sim_stop(s);
		return;
	}
	sim_time dt = sim_ns(gsl_ran_exponential(h->r, 1.0));
	if (sim_schedule(s, dt, EV_HOLD, ev->a, 0) == SIM_NONE)
		h->failed = true, sim_stop(s);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: lpsim bench [--pending N] [--events N] [--seed S]\n"
		   "\n"
		   "Kernel throughput on the hold model: N pending events, each fired event\n"
		   "rescheduled at now + Exp(1) s. Prints pending, events, wall seconds and\n"
		   "million events per second (one core).\n"
		   "  --pending N  events pending at all times (default 1000)\n"
		   "  --events N   events to fire after the queue is filled (default 10000000)\n"
		   "  --seed S     random seed (default 1)\n");
}

int cli_bench(int argc, char **argv)
{
	static const struct option opts[] = {
		{"pending", required_argument, NULL, 'p'},
		{"events", required_argument, NULL, 'e'},
		{"seed", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	uint64_t pending = 1000, events = 10000000, seed = 1;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":e:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!cli_parse_count(optarg, 16000000, &pending)) {
				cli_error("bench: --pending wants a count from 1 to 16000000 (got '%s')", optarg);
				return LPSIM_EXIT_USAGE;
			}
			break;
		case 'e':
			if (!cli_parse_count(optarg, UINT64_C(1) << 40, &events)) {
				cli_error("bench: --events wants a count from 1 to 2^40 (got '%s')", optarg);
				return LPSIM_EXIT_USAGE;
			}
			break;
		case 's':
			if (!cli_parse_count(optarg, UINT64_MAX, &seed)) {
				cli_error("bench: --seed wants a positive integer (got '%s')", optarg);
				return LPSIM_EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return LPSIM_EXIT_OK;
		default:
			cli_option_error("bench", c, argv);
			usage(stderr);
			return LPSIM_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("bench: unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return LPSIM_EXIT_USAGE;
	}

	int rc = LPSIM_EXIT_SOFTWARE;
	struct hold h = {.r = rng_new(rng_key(seed, 0, 0, 0)), .budget = events};
	struct sim *s = sim_new(1, pending);
	if (!h.r || !s || sim_on(s, EV_HOLD, on_hold, &h) < 0) {
		cli_error("bench: out of memory");
		goto out;
	}
	for (uint64_t i = 0; i < pending; i++) {
		sim_time dt = sim_ns(gsl_ran_exponential(h.r, 1.0));
		if (sim_schedule(s, dt, EV_HOLD, (int32_t)i, 0) == SIM_NONE) {
			cli_error("bench: out of memory");
			goto out;
		}
	}
	double t0 = now_s();
	sim_run(s, SIM_TIME_MAX);
	double wall = now_s() - t0;
	if (h.failed || sim_events(s) != events || sim_pending(s) != pending - 1) {
		cli_error("bench: the kernel lost events");
		goto out;
	}
	printf("pending %llu  events %llu  wall %.3f s  %.2f M events/s\n",
	       (unsigned long long)pending, (unsigned long long)sim_events(s), wall,
	       (double)sim_events(s) / wall / 1e6);
	rc = LPSIM_EXIT_OK;
out:
	sim_free(s);
	rng_free(h.r);
	return rc;
}
