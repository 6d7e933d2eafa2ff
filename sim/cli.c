/*
 * cli: helpers shared by the subcommands (see cli.h).
 */
#define _GNU_SOURCE /* pthread_sigqueue */
#include "sim/cli.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scenarios/scenario.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("lpsim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

bool cli_parse_duration(const char *cmd, const char *opt, const char *arg, double *seconds)
{
	char why[128] = "";
	double v = 0;
	const char *p = arg;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*arg && p != arg && *p == '\0') {
		cli_error("%s: %s %s: a duration needs a unit, e.g. %sm or %ss", cmd, opt, arg, arg,
		          arg);
		return false;
	}
	if (!scenario_parse_duration(arg, &v, why, sizeof(why)) || !(v > 0)) {
		if (!*why || !strcmp(why, "negative"))
			snprintf(why, sizeof(why), "%s", v > 0 ? "negative" : "not above zero");
		cli_error("%s: %s %s: not a duration (%s); use a number and a unit, e.g. 4h, "
		          "90m or 1h30m",
		          cmd, opt, arg, why);
		return false;
	}
	*seconds = v;
	return true;
}

bool cli_parse_count(const char *s, uint64_t max, uint64_t *out)
{
	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	/* Integers exactly; "1e6" and "2M"/"3k" as conveniences. */
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return false;
	if (*end == 'e' || *end == 'E' || *end == '.') {
		double d = strtod(s, &end);
		if (errno || *end || !(d >= 1) || d > (double)max || d != (double)(unsigned long long)d)
			return false;
		v = (unsigned long long)d;
	} else if (*end) {
		unsigned long long mul = *end == 'k' ? 1000ULL : *end == 'M' ? 1000000ULL : *end == 'G' ? 1000000000ULL : 0;
		if (!mul || end[1] || v > max / mul)
			return false;
		v *= mul;
	}
	if (v < 1 || v > max)
		return false;
	*out = v;
	return true;
}

void cli_option_error(const char *cmd, int c, char *const argv[])
{
	const char *arg = argv[optind - 1];
	if (c == ':')
		cli_error("%s: option '%s' needs a value", cmd, arg);
	else if (strncmp(arg, "--", 2) != 0)
		cli_error("%s: unknown option '-%c'", cmd, optopt);
	else if (optopt) /* a known long option given a value it does not take */
		cli_error("%s: option '%s' takes no value", cmd, arg);
	else
		cli_error("%s: unknown option '%s'", cmd, arg);
}

int cli_run_option(const char *cmd, int c, const char *arg, struct cli_run_counts *rc)
{
	switch (c) {
	case 'r':
		if (!cli_parse_count(arg, SCENARIO_MAX_REPLICATIONS, &rc->reps)) {
			cli_error("%s: -r wants a count from 1 to %ld (got '%s')", cmd,
				  SCENARIO_MAX_REPLICATIONS, arg);
			return -1;
		}
		return 1;
	case 's':
		if (!strcmp(arg, "0")) {
			rc->seed = 0;
		} else if (!cli_parse_count(arg, UINT64_MAX, &rc->seed)) {
			cli_error("%s: -s wants an unsigned integer (got '%s')", cmd, arg);
			return -1;
		}
		rc->have_seed = true;
		return 1;
	case 'j':
		if (!cli_parse_count(arg, 1024, &rc->jobs)) {
			cli_error("%s: -j wants a count from 1 to 1024 (got '%s')", cmd, arg);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

void cli_run_opts_fill(struct run_opts *o, const struct cli_run_counts *rc,
                       const struct scenario *sc, bool strategy_set, bool quiet)
{
	o->seed = rc->have_seed ? rc->seed : sc->seed;
	o->replications = rc->reps ? (long)rc->reps : sc->replications;
	if (!strategy_set) {
		o->nstrategies = sc->nstrategies;
		memcpy(o->strategies, sc->strategies, sizeof(o->strategies));
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = rc->jobs ? (int)rc->jobs : cores > 0 ? (int)cores : 1;
	o->progress = !quiet && isatty(STDERR_FILENO);
}

/* The value of watcher_end's own signal (sent with pthread_sigqueue). */
#define WATCHER_END 0x4c505349 /* "LPSI" */

/*
 * Takes SIGINT and SIGTERM until watcher_end's own signal (queued to this
 * thread by this process with the value WATCHER_END: si_code SI_QUEUE)
 * says the work is over; a signal from outside that comes first or with
 * it is never mistaken for that one.
 */
static void *watch(void *arg)
{
	struct cli_watcher *w = arg;
	for (;;) {
		siginfo_t info;
		int sig = sigwaitinfo(&w->set, &info);
		if (sig < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (atomic_load(&w->finished) && info.si_code == SI_QUEUE && info.si_pid == getpid() &&
		    info.si_value.sival_int == WATCHER_END)
			break;
		atomic_store(&w->signo, sig);
		atomic_store(&w->stop, true);
	}
	return NULL;
}

double cli_results_bytes(double at_once, long reps, size_t nstrategies, size_t nvms)
{
	return at_once * (double)reps * (double)nstrategies * ((double)nvms * sizeof(double) + 4096.0);
}

double cli_memory_bytes(void)
{
	return (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
}

bool cli_results_fit(double need, double have)
{
	return !(have > 0 && need > CLI_RESULTS_SHARE * have);
}

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_phases_init(struct cli_phases *ph)
{
	const char *v = getenv("LPSIM_PHASES");
	ph->on = v && *v && strcmp(v, "0") != 0;
	ph->t = ph->on ? mono_s() : 0.0;
}

void cli_phase(struct cli_phases *ph, const char *name)
{
	if (!ph->on)
		return;
	double now = mono_s();
	fprintf(stderr, "lpsim: phase %-10s %8.3f s\n", name, now - ph->t);
	ph->t = now;
}

void cli_watcher_start(struct cli_watcher *w)
{
	atomic_init(&w->stop, false);
	atomic_init(&w->finished, false);
	atomic_init(&w->signo, 0);
	w->settled = false;
	sigemptyset(&w->set);
	sigaddset(&w->set, SIGINT);
	sigaddset(&w->set, SIGTERM);
	w->watching = pthread_sigmask(SIG_BLOCK, &w->set, NULL) == 0 &&
	              pthread_create(&w->thread, NULL, watch, w) == 0;
}

/* Ends the watcher thread; the signals stay blocked. */
static void watcher_end(struct cli_watcher *w)
{
	if (w->watching) {
		atomic_store(&w->finished, true);
		pthread_sigqueue(w->thread, SIGTERM, (union sigval){.sival_int = WATCHER_END});
		pthread_join(w->thread, NULL);
		w->watching = false;
	}
}

int cli_watcher_settle(struct cli_watcher *w)
{
	watcher_end(w);
	/* A signal the watcher did not take is still pending: take it here. */
	static const struct timespec now = {0, 0};
	siginfo_t info;
	int sig;
	while ((sig = sigtimedwait(&w->set, &info, &now)) > 0) {
		atomic_store(&w->signo, sig);
		atomic_store(&w->stop, true);
	}
	w->settled = true;
	return atomic_load(&w->stop) ? atomic_load(&w->signo) : 0;
}

void cli_watcher_stop(struct cli_watcher *w)
{
	watcher_end(w);
	if (!w->settled)
		pthread_sigmask(SIG_UNBLOCK, &w->set, NULL);
}

/* The test hook's FIFO: one line written ("POINT\n"), then read until EOF. */
static void hold_at(const char *fifo, const char *point)
{
	FILE *f = fopen(fifo, "w");
	if (f) {
		fprintf(f, "%s\n", point);
		fclose(f);
	}
	f = fopen(fifo, "r");
	if (f) {
		while (fgetc(f) != EOF)
			;
		fclose(f);
	}
}

void cli_test_hold(const char *point)
{
	const char *v = getenv("LPSIM_TEST_HOLD");
	size_t len = strlen(point);
	if (v && !strncmp(v, point, len) && v[len] == ':' && v[len + 1])
		hold_at(v + len + 1, point);
}

bool cli_parse_strategy(const char *s, struct run_opts *o)
{
	if (!strcmp(s, "live_patch")) {
		o->nstrategies = 1;
		o->strategies[0] = SCENARIO_STRATEGY_LIVE_PATCH;
	} else if (!strcmp(s, "classic")) {
		o->nstrategies = 1;
		o->strategies[0] = SCENARIO_STRATEGY_CLASSIC;
	} else if (!strcmp(s, "both")) {
		o->nstrategies = 2;
		o->strategies[0] = SCENARIO_STRATEGY_LIVE_PATCH;
		o->strategies[1] = SCENARIO_STRATEGY_CLASSIC;
	} else {
		return false;
	}
	return true;
}
