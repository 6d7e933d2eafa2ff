/*
 * Tests of sim/output: summary.json's exact text, summary.txt, the CSV
 * files, and the run directory written whole or not at all. The run
 * results are made by hand (a real scenario, estate and scans; records
 * filled with known numbers), so every expected value is known.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/output.h"
#include "sim/replications.h"
#include "sim/shard.h"

/* One cluster of two hosts and three VMs, the first FT on a shared disk. */
static const char yaml[] =
    "lpsim: 1\n"
    "name: t\n"
    "patch: {name: p}\n"
    "strategies: [live_patch, classic]\n"
    "clusters:\n"
    "  - name: cl-a\n"
    "    hosts: [{name: esx-%02d, count: 2, cores: 8, memory_gb: 256}]\n"
    "    vms:\n"
    "      - {name: ft-%d, count: 1, vcpus: 1, memory_gb: 8, ft: true, shared_disk: true}\n"
    "      - {name: web-%d, count: 2, vcpus: 1, memory_gb: 8}\n";

struct fx {
	struct diag d;
	struct scenario *sc;
	struct estate *e;
	struct run_result res;
	char *text; /* what the last capture() wrote */
	size_t len;
};

/* The per-replication numbers every record gets (known by construction). */
static void fill(struct rec *r, enum scenario_strategy st, size_t rep)
{
	const bool live = st == SCENARIO_STRATEGY_LIVE_PATCH;
	r->makespan_s = live ? 10.0 * (double)(rep + 1) : 40.0 + 10.0 * (double)rep;
	r->time_to_compliance_s = live ? (rep == 1 ? (double)NAN : 100.0 * (double)(rep + 1)) : 500;
	r->exposure_host_hours = 1.5 + (double)rep;
	r->downtime_total_s = live ? 4 : 10;
	r->events = 1000;
	r->hosts_live = live ? 2 : 0;
	r->hosts_classic = live ? 0 : 2;
	r->hosts_failed = 1;
	r->hosts_blocked = 0;
	r->hosts_compliant = 1;
	r->clusters_compliant = 0;
	r->vms_fsr = 2;
	r->vms_vmotion = 1;
	r->sdps_total_s = 1.25;
	for (size_t v = 0; v < r->nvms; v++)
		r->vm_downtime[v] = 2;
	assert_int_equal(rec_add_stun(r, 0.5), 0);
	if (!r->detail)
		return;
	const uint8_t path = live ? REC_PATH_LIVE : REC_PATH_CLASSIC;
	r->hosts[0] = (struct rec_host){0, 10.5, 10.5, path, REC_COMPLIANT, 1, REC_WHY_NONE, -1};
	r->hosts[1] = (struct rec_host){5, NAN, NAN, path, REC_FAILED, 3, REC_WHY_NO_ROOM, 1};
	r->vms[0] = (struct rec_vm){0, 1, 2, 0.5, REC_REM_VMOTION, 1.25, 0};
	r->vms[1] = (struct rec_vm){1, -1, 2, 0, REC_REM_FSR, 0, -1};
	r->vms[2] = (struct rec_vm){0, 0, 2, -0.0, REC_REM_FSR, 0, -1};
	assert_int_equal(rec_add_span(r, 0, REC_ST_PATCHING, 0, 10.5), 0);
	assert_int_equal(rec_add_step(r, 0, 0), 0);
	assert_int_equal(rec_add_step(r, 10.5, 1), 0);
}

/*
 * Loads the scenario (shown as file) and makes a run of reps replications
 * of the given strategies; records have their detail when detail_all or
 * they are replication 0.
 */
static void fx_make(struct fx *x, const char *file, long reps, size_t nstrat,
                    const enum scenario_strategy *strat, bool detail_all, bool all_replications)
{
	memset(x, 0, sizeof(*x));
	diag_init(&x->d, file);
	int rc = scenario_load_buffer(yaml, strlen(yaml), file, &x->d, &x->sc);
	if (rc != 0)
		diag_print(&x->d, stderr);
	assert_int_equal(rc, 0);
	assert_int_equal(estate_build(x->sc, &x->d, &x->e), 0);
	assert_int_equal(x->e->nhosts, 2);
	assert_int_equal(x->e->nvms, 3);

	struct run_result *res = &x->res;
	res->sc = x->sc;
	res->e = x->e;
	res->opts = (struct run_opts){.seed = 42,
	                              .replications = reps,
	                              .nstrategies = nstrat,
	                              .jobs = 1,
	                              .all_replications = all_replications};
	res->wall_s = 0.25;
	for (size_t s = 0; s < nstrat; s++) {
		res->opts.strategies[s] = strat[s];
		assert_int_equal(
		    scan_run(x->e, strat[s] == SCENARIO_STRATEGY_CLASSIC, &res->scans[s]), 0);
		res->recs[s] = calloc((size_t)reps, sizeof(struct rec));
		assert_non_null(res->recs[s]);
		for (size_t r = 0; r < (size_t)reps; r++) {
			struct rec *rec = &res->recs[s][r];
			assert_int_equal(rec_init(rec, 2, 3, detail_all || r == 0), 0);
			fill(rec, strat[s], r);
		}
	}
}

static void fx_free(struct fx *x)
{
	for (size_t s = 0; s < x->res.opts.nstrategies; s++) {
		for (long r = 0; r < x->res.opts.replications; r++)
			rec_fini(&x->res.recs[s][r]);
		free(x->res.recs[s]);
		scan_free(x->res.scans[s]);
	}
	free(x->text);
	estate_free(x->e);
	scenario_free(x->sc);
	diag_fini(&x->d);
}

static const enum scenario_strategy live_only[] = {SCENARIO_STRATEGY_LIVE_PATCH};
static const enum scenario_strategy both[] = {SCENARIO_STRATEGY_LIVE_PATCH,
                                              SCENARIO_STRATEGY_CLASSIC};

/* The summary of x written by which (0 json, 1 json without wall, 2 text), as x->text. */
static const char *capture(struct fx *x, int which)
{
	struct output_summary sum;
	assert_int_equal(output_summarize(&x->res, &sum), 0);
	free(x->text);
	x->text = NULL;
	FILE *f = open_memstream(&x->text, &x->len);
	assert_non_null(f);
	int rc =
	    which == 2 ? output_summary_text(f, &sum) : output_summary_json(f, &sum, which == 0);
	assert_int_equal(rc, 0);
	assert_int_equal(fclose(f), 0);
	output_summary_fini(&sum);
	return x->text;
}

/* A STAT of one value, and of n equal values (sd 0, a zero-width interval). */
#define STAT1(x)                                                                                   \
	"{\"n\":1,\"mean\":" #x ",\"sd\":0,\"ci95_lo\":null,\"ci95_hi\":null,\"p50\":" #x          \
	",\"p95\":" #x ",\"p99\":" #x ",\"min\":" #x ",\"max\":" #x "}"
#define STATEQ(n, x)                                                                               \
	"{\"n\":" #n ",\"mean\":" #x ",\"sd\":0,\"ci95_lo\":" #x ",\"ci95_hi\":" #x ",\"p50\":" #x \
	",\"p95\":" #x ",\"p99\":" #x ",\"min\":" #x ",\"max\":" #x "}"

/* n equal values pooled from one replication: no interval (it comes from replications). */
#define STATEQ_NOCI(n, x)                                                                          \
	"{\"n\":" #n ",\"mean\":" #x ",\"sd\":0,\"ci95_lo\":null,\"ci95_hi\":null,\"p50\":" #x      \
	",\"p95\":" #x ",\"p99\":" #x ",\"min\":" #x ",\"max\":" #x "}"
/* The intervals of one replication: none. */
#define NOIV                                                                                       \
	"{\"method\": \"bootstrap-t\", \"ci95_lo\": null, \"ci95_hi\": null, \"skewness\": null, "    \
	"\"reliable\": false, \"p95_ci95\": [null, null], \"p99_ci95\": [null, null]}"

static void test_summary_json_of_one_replication_is_exactly_as_specified(void **state)
{
	(void)state;
	struct fx x;
	fx_make(&x, "dir/we\"ird.yaml", 1, 1, live_only, false, false);
	/* clang-format off */
	const char *expected =
	    "{\n"
	    "  \"lpsim\": \"" LPSIM_VERSION "\",\n"
	    "  \"scenario\": {\"name\": \"t\", \"file\": \"dir/we\\\"ird.yaml\"},\n"
	    "  \"seed\": 42,\n"
	    "  \"replications\": 1,\n"
	    "  \"strategies\": {\n"
	    "    \"live_patch\": {\n"
	    "      \"headline\": \"1 of 2 hosts patched; 0 blocked, 1 failed, 0 not started\",\n"
	    "      \"blocked\": \"\",\n"
	    "      \"makespan_s\": " STAT1(10) ",\n"
	    "      \"makespan_hosts\": " STAT1(2) ",\n"
	    "      \"whole_estate_patched\": 0,\n"
	    "      \"estate_makespan_p95_bound_s\": null,\n"
	    "      \"estate_makespan_p95_bound\": \"never\",\n"
	    "      \"time_to_compliance_s\": " STAT1(100) ",\n"
	    "      \"time_to_compliance_censored\": 0,\n"
	    "      \"cluster_compliant_fraction\": 0,\n"
	    "      \"exposure_host_hours\": " STAT1(1.5) ",\n"
	    "      \"vm_downtime_s\": {\n"
	    "        \"total\": " STAT1(4) ",\n"
	    "        \"per_vm\": " STATEQ_NOCI(3, 2) "\n"
	    "      },\n"
	    "      \"stun_s\": " STAT1(0.5) ",\n"
	    "      \"sdps_s\": " STAT1(1.25) ",\n"
	    "      \"hosts\": {\n"
	    "        \"total\": 2,\n"
	    "        \"live\": " STAT1(2) ",\n"
	    "        \"classic\": " STAT1(0) ",\n"
	    "        \"failed\": " STAT1(1) ",\n"
	    "        \"blocked\": " STAT1(0) ",\n"
	    "        \"not_started\": " STAT1(0) ",\n"
	    "        \"compliant_at_end\": " STAT1(1) ",\n"
	    "        \"patched\": " STAT1(1) ",\n"
	    "        \"never_compliant\": " STAT1(1) ",\n"
	    "        \"unfinished\": " STAT1(0) "\n"
	    "      },\n"
	    "      \"vms\": {\n"
	    "        \"total\": 3,\n"
	    "        \"fsr\": " STAT1(2) ",\n"
	    "        \"vmotion\": " STAT1(1) ",\n"
	    "        \"power_cycle\": " STAT1(0) ",\n"
	    "        \"powered_off\": " STAT1(0) ",\n"
	    "        \"incompatible\": {\"ft\": 1, \"directpath\": 0, \"vsphere_pod\": 0, "
	    "\"shared_disk\": 1}\n"
	    "      },\n"
	    "      \"intervals\": {\n"
	    "        \"makespan_s\": " NOIV ",\n"
	    "        \"time_to_compliance_s\": " NOIV ",\n"
	    "        \"exposure_host_hours\": " NOIV ",\n"
	    "        \"vm_downtime_s.total\": " NOIV "\n"
	    "      },\n"
	    "      \"events\": " STAT1(1000) "\n"
	    "    }\n"
	    "  },\n"
	    "  \"wall_s\": 0.250\n"
	    "}\n";
	/* clang-format on */
	assert_string_equal(capture(&x, 0), expected);

	/* Without the wall time: the same document less its last key. */
	const char *wall = strstr(expected, ",\n  \"wall_s\"");
	char *nowall = malloc(strlen(expected) + 1);
	sprintf(nowall, "%.*s\n}\n", (int)(wall - expected), expected);
	assert_string_equal(capture(&x, 1), nowall);
	free(nowall);
	fx_free(&x);
}

static void test_summary_json_statistics_over_replications(void **state)
{
	(void)state;
	struct fx x;
	fx_make(&x, "t.yaml", 3, 2, both, false, false);
	const char *j = capture(&x, 1);
	/* makespans {10, 20, 30}: mean 20, sd 10; the t interval 20 -/+ 4.303 * 10 / sqrt 3. */
	assert_non_null(
	    strstr(j, "\"makespan_s\": {\"n\":3,\"mean\":20,\"sd\":10,\"ci95_lo\":-4.84"));
	assert_non_null(strstr(j, "\"p50\":20,"));
	assert_non_null(strstr(j, "\"min\":10,\"max\":30}"));
	/* time to compliance {100, NaN, 300}: over the two where it is defined. */
	assert_non_null(strstr(j, "\"time_to_compliance_s\": {\"n\":2,\"mean\":200,"));
	/* Per VM: 3 VMs x 3 replications; stuns: one per replication. */
	/* Per VM: the pooled values, but the interval from the replications' mean
	 * per-VM downtime (total / VMs: 4 / 3 in every replication, which the
	 * fixture sets apart from the per-VM values, 2). */
	assert_non_null(strstr(j, "\"per_vm\": {\"n\":9,\"mean\":2,\"sd\":0,"
	                          "\"ci95_lo\":1.3333333333333333,\"ci95_hi\":1.3333333333333333,"));
	assert_non_null(strstr(j, "\"stun_s\": " STATEQ(3, 0.5)));
	assert_non_null(strstr(j, "\"sdps_s\": " STATEQ(3, 1.25)));
	/* Both ran: live - classic, replication by replication: {-30, -30, -30} and {-6, ...}. */
	assert_non_null(strstr(j,
	                       "  \"comparison\": {\n"
	                       "    \"vm_downtime_total_diff_s\": " STATEQ(
	                           3, -6) ",\n"
	                                  "    \"makespan_diff_s\": " STATEQ(3, -30) "\n"
	                                                                             "  }\n}\n"));
	/* Strategies in the order run, keyed by name. */
	const char *lp = strstr(j, "\n    \"live_patch\": {\n");
	const char *cl = strstr(j, "\n    \"classic\": {\n");
	assert_non_null(lp);
	assert_non_null(cl);
	assert_true(lp < cl);
	assert_null(strstr(j, "wall_s"));
	fx_free(&x);
}

/* The pooled STATs are taken on threads with jobs > 1: the same summary,
 * each strategy's own values (the two strategies' differ here). */
static void test_summary_is_the_same_for_any_number_of_jobs(void **state)
{
	(void)state;
	struct fx x;
	fx_make(&x, "t.yaml", 5, 2, both, false, false);
	for (size_t s = 0; s < 2; s++)
		for (size_t r = 0; r < 5; r++) {
			struct rec *rec = &x.res.recs[s][r];
			for (size_t v = 0; v < rec->nvms; v++)
				rec->vm_downtime[v] = (double)(10 * s + r) + 0.25 * (double)v;
			assert_int_equal(rec_add_stun(rec, 100.0 * (double)(s + 1)), 0);
			rec_add_sole_stun(rec, 1); /* VM 1's downtime is its one stun */
		}
	char *one = strdup(capture(&x, 1));
	assert_non_null(one);
	/* live: 0..4 + {0, 0.25, 0.5}, mean 2.25; classic: 10 more. */
	assert_non_null(strstr(one, "\"per_vm\": {\"n\":15,\"mean\":2.25,"));
	assert_non_null(strstr(one, "\"per_vm\": {\"n\":15,\"mean\":12.25,"));
	/* Stuns: 0.5 and 100 (200) listed, and VM 1's downtime, 0..4 + 0.25
	 * (10 more): means 513.75 / 15 and 1063.75 / 15. */
	assert_non_null(strstr(one, "\"stun_s\": {\"n\":15,\"mean\":34.25,"));
	assert_non_null(strstr(one, "\"stun_s\": {\"n\":15,\"mean\":70.91666"));
	for (int jobs = 2; jobs <= 4; jobs++) {
		x.res.opts.jobs = jobs;
		assert_string_equal(capture(&x, 1), one);
	}
	free(one);
	fx_free(&x);
}

static void test_summary_json_has_no_comparison_with_one_strategy(void **state)
{
	(void)state;
	struct fx x;
	fx_make(&x, "t.yaml", 3, 1, live_only, false, false);
	const char *j = capture(&x, 1);
	assert_null(strstr(j, "comparison"));
	assert_null(strstr(j, "\"classic\": {\n"));
	/* The document still ends properly. */
	size_t n = strlen(j);
	assert_true(n > 12);
	assert_string_equal(j + n - 12, "    }\n  }\n}\n");
	fx_free(&x);
}

static void test_summary_json_writes_undefined_statistics_as_null(void **state)
{
	(void)state;
	struct fx x;
	fx_make(&x, "t.yaml", 1, 1, live_only, false, false);
	x.res.recs[0][0].time_to_compliance_s = NAN; /* never compliant */
	x.res.recs[0][0].nstuns = 0;                 /* no stun at all */
	const char *j = capture(&x, 1);
	const char *none = "{\"n\":0,\"mean\":null,\"sd\":null,\"ci95_lo\":null,\"ci95_hi\":null,"
	                   "\"p50\":null,\"p95\":null,\"p99\":null,\"min\":null,\"max\":null}";
	char want[512];
	snprintf(want, sizeof(want), "\"time_to_compliance_s\": %s,\n", none);
	assert_non_null(strstr(j, want));
	snprintf(want, sizeof(want), "\"stun_s\": %s,\n", none);
	assert_non_null(strstr(j, want));
	fx_free(&x);
}

static void test_summary_text_shows_means_intervals_and_the_comparison(void **state)
{
	(void)state;
	struct fx x;
	fx_make(&x, "t.yaml", 3, 2, both, false, false);
	const char *t = capture(&x, 2);
	assert_non_null(strstr(t, "lpsim " LPSIM_VERSION ": scenario t (t.yaml), seed 42, "
	                          "3 replications\n"
	                          "1 cluster, 2 hosts, 3 VMs; means over replications, [95% CI, "
	                          "bootstrap-t]\n"
	                          "\nlive_patch: 1 of 2 hosts patched; 0 blocked, 1 failed, "
	                          "0 not started\n"
	                          "  makespan            20.0 s ["));
	/* The makespan's interval is the bootstrap-t one of summary.json. */
	struct output_summary sum;
	assert_int_equal(output_summarize(&x.res, &sum), 0);
	char want[400];
	snprintf(want, sizeof(want),
	         "  makespan            20.0 s [%.2f, %.1f], p95 29.0 s over the 2 of 2 hosts "
	         "remediated; the whole estate patched in 0 of 3 replications\n",
	         sum.strategies[0].intervals[OUT_H_MAKESPAN].mean.lo,
	         sum.strategies[0].intervals[OUT_H_MAKESPAN].mean.hi);
	output_summary_fini(&sum);
	assert_non_null(strstr(t, want));
	assert_non_null(strstr(t, ", p95 4.83 min over the 2 of 3 replications that became "
	                          "compliant; censored (never compliant) in 1\n"));
	assert_non_null(strstr(t, "  VM downtime         total 4.00 s [4.00, 4.00]; "
	                          "per VM p95 2.00 s, p99 2.00 s\n"));
	/* 3 replications are too few for an interval to be trusted */
	assert_non_null(strstr(t, "  caution             unreliable intervals: makespan "
	                          "(skewness "));
	assert_non_null(strstr(t, "), time to compliance, exposure (skewness "));
	assert_non_null(strstr(t, "  hosts (2)           live 2, classic 0, failed 1, blocked 0, "
	                          "not started 0, compliant 1\n"
	                          "  why (rep. 0)        esx-02 failed: no host had room (memory, "
	                          "vCPUs or the rules) for a VM (VM web-1)\n"
	                          "  VMs (3)             fsr 2, vmotion 1, power cycled 0, "
	                          "powered off 0\n"
	                          "  FSR-incompatible    ft 1, directpath 0, vsphere_pod 0, "
	                          "shared_disk 1\n"));
	assert_non_null(strstr(t, "\nclassic: 1 of 2 hosts patched; 0 blocked, 1 failed, 0 not "
	                          "started\n  makespan            50.0 s ["));
	assert_non_null(strstr(t, "\nlive_patch - classic (paired by replication)\n"
	                          "  makespan            -30.0 s [-30.0, -30.0] (not like for "
	                          "like: a makespan covers only the hosts remediated; see the hosts "
	                          "patched above)\n"
	                          "  VM downtime total   -6.00 s [-6.00, -6.00]\n"));
	fx_free(&x);
}

static void test_summary_text_picks_minutes_and_hours(void **state)
{
	(void)state;
	struct fx x;
	fx_make(&x, "t.yaml", 1, 1, live_only, false, false);
	x.res.recs[0][0].makespan_s = 5400;           /* 90 min */
	x.res.recs[0][0].time_to_compliance_s = 9000; /* 2.5 h */
	x.res.recs[0][0].hosts_failed = 0;            /* every host patched */
	x.res.recs[0][0].hosts_compliant = 2;
	const char *t = capture(&x, 2);
	assert_non_null(strstr(t, "  makespan            90.0 min, p95 90.0 min (all 2 hosts)\n"));
	assert_non_null(strstr(t, "  time to compliance  2.50 h, p95 2.50 h (all 2 hosts)\n"));
	fx_free(&x);
}

/* ---- CSV ------------------------------------------------------------------ */

/* A fresh directory under /tmp, removed with its files afterwards. */
static void make_tmpdir(char *path, size_t len)
{
	snprintf(path, len, "/tmp/lpsim-output-XXXXXX");
	assert_non_null(mkdtemp(path));
}

static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		unlink(path);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char sub[512];
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		remove_tree(sub);
	}
	closedir(d);
	rmdir(path);
}

static char *slurp(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int c;
	while ((c = getc(f)) != EOF)
		putc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

static const char *listing(const char *dir, char *buf, size_t len)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		const char *s = names[i]->d_name;
		if (strcmp(s, ".") && strcmp(s, "..")) {
			if (buf[0])
				strncat(buf, " ", len - strlen(buf) - 1);
			strncat(buf, s, len - strlen(buf) - 1);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return buf;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_write_run_writes_every_file_with_exact_rows(void **state)
{
	(void)state;
	struct fx x;
	fx_make(&x, "t.yaml", 3, 2, both, false, false);
	char tmp[64], dir[128], err[256] = "untouched", buf[512];
	make_tmpdir(tmp, sizeof(tmp));
	snprintf(dir, sizeof(dir), "%s/out/t", tmp);

	assert_int_equal(output_write_run(dir, &x.res, NULL, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_string_equal(
	    listing(dir, buf, sizeof(buf)),
	    "compliance.csv hosts.csv replications.csv summary.json summary.txt timeline.csv "
	    "vms.csv");

	char *s = slurp(dir, "hosts.csv");
	assert_string_equal(
	    s, "strategy,replication,cluster,host,path,start_s,end_s,"
	       "compliant_at_s,outcome,attempts,reason,reason_of\n"
	       "live_patch,0,cl-a,esx-01,live,0.000000,10.500000,10.500000,compliant,1,,\n"
	       "live_patch,0,cl-a,esx-02,live,5.000000,,,failed,3,no_room,web-1\n"
	       "classic,0,cl-a,esx-01,classic,0.000000,10.500000,10.500000,compliant,1,,\n"
	       "classic,0,cl-a,esx-02,classic,5.000000,,,failed,3,no_room,web-1\n");
	free(s);

	s = slurp(dir, "vms.csv");
	/* The FT VM's secondary: on esx-02 at the start, esx-01 at the end. */
	assert_string_equal(s, "strategy,replication,cluster,vm,host_before,host_after,downtime_s,"
	                       "stun_s,remediation,incompatible,sdps_s,secondary_host_before,"
	                       "secondary_host_after\n"
	                       "live_patch,0,cl-a,ft-1,esx-01,esx-02,2.000000,0.500000,vmotion,"
	                       "ft+shared_disk,1.250000,esx-02,esx-01\n"
	                       "live_patch,0,cl-a,web-1,esx-02,,2.000000,0.000000,fsr,,0.000000,,\n"
	                       "live_patch,0,cl-a,web-2,esx-01,esx-01,2.000000,0.000000,fsr,,0.000000,,\n"
	                       "classic,0,cl-a,ft-1,esx-01,esx-02,2.000000,0.500000,vmotion,"
	                       "ft+shared_disk,1.250000,esx-02,esx-01\n"
	                       "classic,0,cl-a,web-1,esx-02,,2.000000,0.000000,fsr,,0.000000,,\n"
	                       "classic,0,cl-a,web-2,esx-01,esx-01,2.000000,0.000000,fsr,,0.000000,,\n");
	free(s);

	s = slurp(dir, "timeline.csv");
	assert_string_equal(s, "strategy,replication,cluster,host,state,start_s,end_s\n"
	                       "live_patch,0,cl-a,esx-01,patching,0.000000,10.500000\n"
	                       "classic,0,cl-a,esx-01,patching,0.000000,10.500000\n");
	free(s);

	s = slurp(dir, "compliance.csv");
	assert_string_equal(s, "strategy,replication,t_s,compliant_hosts,total_hosts\n"
	                       "live_patch,0,0.000000,0,2\n"
	                       "live_patch,0,10.500000,1,2\n"
	                       "classic,0,0.000000,0,2\n"
	                       "classic,0,10.500000,1,2\n");
	free(s);

	/* The summaries are what the summary functions print (wall_s included). */
	s = slurp(dir, "summary.json");
	assert_string_equal(s, capture(&x, 0));
	free(s);
	s = slurp(dir, "summary.txt");
	assert_string_equal(s, capture(&x, 2));
	free(s);

	/* Every replication of every strategy, every figure; a censored value empty. */
	s = slurp(dir, "replications.csv");
	assert_string_equal(
	    s, REPLICATIONS_CSV_HEADER "\n"
	       "live_patch,0,10,2,,100,1.5,4,2,0,1,1,1,0,0,0,0,2,1,0,0,1000\n"
	       "live_patch,1,20,2,,,2.5,4,2,0,1,1,1,0,0,0,0,2,1,0,0,1000\n"
	       "live_patch,2,30,2,,300,3.5,4,2,0,1,1,1,0,0,0,0,2,1,0,0,1000\n"
	       "classic,0,40,2,,500,1.5,10,0,2,1,1,1,0,0,0,0,2,1,0,0,1000\n"
	       "classic,1,50,2,,500,2.5,10,0,2,1,1,1,0,0,0,0,2,1,0,0,1000\n"
	       "classic,2,60,2,,500,3.5,10,0,2,1,1,1,0,0,0,0,2,1,0,0,1000\n");
	free(s);

	/* Again over the same directory: replaced, still no temporaries. */
	assert_int_equal(output_write_run(dir, &x.res, NULL, err, sizeof(err)), 0);
	assert_string_equal(listing(dir, buf, sizeof(buf)),
	                    "compliance.csv hosts.csv replications.csv summary.json summary.txt "
	                    "timeline.csv vms.csv");
	remove_tree(tmp);
	fx_free(&x);
}

static void test_csv_rows_come_from_replication_0_unless_all_replications(void **state)
{
	(void)state;
	char tmp[64];
	make_tmpdir(tmp, sizeof(tmp));

	/* Every record has its detail, but only replication 0 is written. */
	struct fx x;
	fx_make(&x, "t.yaml", 3, 2, both, true, false);
	assert_int_equal(output_write_run(tmp, &x.res, NULL, NULL, 0), 0);
	char *s = slurp(tmp, "hosts.csv");
	assert_int_equal(count_lines(s), 1 + 2 * 2);
	assert_null(strstr(s, "live_patch,1,"));
	free(s);
	fx_free(&x);

	/* --all-replications: every replication, in order. */
	fx_make(&x, "t.yaml", 3, 2, both, true, true);
	assert_int_equal(output_write_run(tmp, &x.res, NULL, NULL, 0), 0);
	s = slurp(tmp, "hosts.csv");
	assert_int_equal(count_lines(s), 1 + 2 * 3 * 2);
	const char *r1 = strstr(s, "\nlive_patch,1,cl-a,esx-01,");
	const char *r2 = strstr(s, "\nlive_patch,2,cl-a,esx-01,");
	const char *c0 = strstr(s, "\nclassic,0,cl-a,esx-01,");
	assert_non_null(r1);
	assert_non_null(r2);
	assert_non_null(c0);
	assert_true(r1 < r2 && r2 < c0);
	free(s);
	s = slurp(tmp, "compliance.csv");
	assert_int_equal(count_lines(s), 1 + 2 * 3 * 2);
	free(s);
	fx_free(&x);

	/* --all-replications, but only replication 0 kept its detail. */
	fx_make(&x, "t.yaml", 3, 2, both, false, true);
	assert_int_equal(output_write_run(tmp, &x.res, NULL, NULL, 0), 0);
	s = slurp(tmp, "vms.csv");
	assert_int_equal(count_lines(s), 1 + 2 * 3);
	free(s);
	fx_free(&x);
	remove_tree(tmp);
}

static void test_csv_field_quotes_commas_quotes_and_newlines(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(output_csv_field(f, "plain name"), 0);
	putc('|', f);
	assert_int_equal(output_csv_field(f, "a,\"b\""), 0);
	putc('|', f);
	assert_int_equal(output_csv_field(f, "two\nlines"), 0);
	putc('|', f);
	assert_int_equal(output_csv_field(f, ""), 0);
	fclose(f);
	assert_string_equal(buf, "plain name|\"a,\"\"b\"\"\"|\"two\nlines\"|");
	free(buf);
}

/* Checks output_format_time(v) against snprintf's %.6f. */
static void check_time(double v)
{
	char got[OUTPUT_TIME_LEN], want[64];
	int n = output_format_time(got, sizeof(got), v);
	snprintf(want, sizeof(want), "%.6f", v);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "v = %a\n", v);
	assert_string_equal(got, want);
	assert_int_equal(n, (int)strlen(want));
}

static void test_format_time_is_printf_fixed_6_only_faster(void **state)
{
	(void)state;
	static const double fixed[] = {
	    0.5e-6,
	    1.5e-6,
	    2.5e-6,
	    0.0000005000000001,
	    0.0000004999999999,
	    1e-7,
	    0.1,
	    0.25,
	    10.5,
	    123.4567895,
	    123.4567885,
	    999999999.9999995,
	    999999999.999999,
	    1e9 - 1e-7,
	    1e9,
	    1e9 + 0.5,
	    2592000,
	    86400.0000005,
	    3.0000025,
	    1e15,
	    1e20,
	    -1.5e-6,
	    -3.25,
	    -1e-9,
	    4503599627.3704955,
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		check_time(fixed[i]);

	/* Random magnitudes, and microsecond half-ties with a few ulps either way. */
	uint64_t x = 0x243f6a8885a308d3u;
	for (int i = 0; i < 300000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		double u = (double)(x >> 11) * 0x1p-53;
		double v = u * pow(10.0, (double)(int)(x % 19) - 9.0);
		check_time(v);
		double tie = ((double)(x % 1000000000000u) + 0.5) / 1e6;
		check_time(tie);
		check_time(nextafter(tie, 0));
		check_time(nextafter(tie, 1e30));
		if (i % 16 == 0)
			check_time(-v);
	}

	char buf[OUTPUT_TIME_LEN];
	assert_int_equal(output_format_time(buf, sizeof(buf), -0.0), 8);
	assert_string_equal(buf, "0.000000");
	assert_int_equal(output_format_time(buf, sizeof(buf), NAN), 0);
	assert_string_equal(buf, "");
	assert_int_equal(output_format_time(buf, sizeof(buf), INFINITY), 0);
	assert_string_equal(buf, "");
	/* Too small a buffer: truncated as snprintf truncates. */
	assert_int_equal(output_format_time(buf, 4, 12.5), 3);
	assert_string_equal(buf, "12.");
}

/* ---- errors --------------------------------------------------------------- */

static void test_write_run_under_a_file_fails_and_names_the_directory(void **state)
{
	(void)state;
	struct fx x;
	fx_make(&x, "t.yaml", 1, 1, live_only, false, false);
	char tmp[64], dir[128], err[256], buf[256];
	make_tmpdir(tmp, sizeof(tmp));
	snprintf(dir, sizeof(dir), "%s/file", tmp);
	FILE *f = fopen(dir, "w");
	fclose(f);
	snprintf(dir, sizeof(dir), "%s/file/out", tmp);
	assert_int_equal(output_write_run(dir, &x.res, NULL, err, sizeof(err)), -ENOTDIR);
	assert_string_equal(err, dir);
	assert_string_equal(listing(tmp, buf, sizeof(buf)), "file");
	remove_tree(tmp);
	fx_free(&x);
}

/*
 * A write that fails (the file size limit stands in for a full disk)
 * leaves no file at all, not even the three already written, and names
 * the failing one. In a child, so the limit does not outlive the test.
 */
static void test_write_run_that_fails_midway_leaves_no_file(void **state)
{
	(void)state;
	struct fx x;
	fx_make(&x, "t.yaml", 40, 1, live_only, true, true);
	char tmp[64], buf[256];
	make_tmpdir(tmp, sizeof(tmp));

	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		/* Every file fits (the largest so far is hosts.csv, 5 KB) but vms.csv (8 KB). */
		struct rlimit rl = {6000, 6000};
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(10);
		char err[256], want[256];
		int rc = output_write_run(tmp, &x.res, NULL, err, sizeof(err));
		snprintf(want, sizeof(want), "%s/vms.csv", tmp);
		_exit(rc == -EFBIG && strcmp(err, want) == 0 ? 0 : 11);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(listing(tmp, buf, sizeof(buf)), "");
	remove_tree(tmp);
	fx_free(&x);
}

/* A shard writer that writes part of its file and fails, or writes it whole. */
static int write_part_then(FILE *f, const void *arg)
{
	fputs("{\"lpsim_shard\":1", f);
	return *(const int *)arg;
}

/* A shard whose writer fails (running out of memory midway) leaves no file,
 * and the error names the file; one whose writer succeeds is committed. */
static void test_shard_whose_writer_fails_leaves_no_file(void **state)
{
	(void)state;
	char tmp[64], buf[256], err[512], want[512];
	make_tmpdir(tmp, sizeof(tmp));
	const int nomem = -ENOMEM, ok = 0;
	assert_int_equal(shard_write_file(tmp, 0, 2, write_part_then, &nomem, err, sizeof(err)),
			 -ENOMEM);
	assert_string_equal(listing(tmp, buf, sizeof(buf)), "");
	shard_file_name(want, sizeof(want), tmp, 0, 2);
	assert_string_equal(err, want);
	assert_int_equal(shard_write_file(tmp, 0, 2, write_part_then, &ok, err, sizeof(err)), 0);
	assert_string_not_equal(listing(tmp, buf, sizeof(buf)), "");
	remove_tree(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_summary_json_of_one_replication_is_exactly_as_specified),
	    cmocka_unit_test(test_summary_json_statistics_over_replications),
	    cmocka_unit_test(test_summary_is_the_same_for_any_number_of_jobs),
	    cmocka_unit_test(test_summary_json_has_no_comparison_with_one_strategy),
	    cmocka_unit_test(test_summary_json_writes_undefined_statistics_as_null),
	    cmocka_unit_test(test_summary_text_shows_means_intervals_and_the_comparison),
	    cmocka_unit_test(test_summary_text_picks_minutes_and_hours),
	    cmocka_unit_test(test_write_run_writes_every_file_with_exact_rows),
	    cmocka_unit_test(test_csv_rows_come_from_replication_0_unless_all_replications),
	    cmocka_unit_test(test_csv_field_quotes_commas_quotes_and_newlines),
	    cmocka_unit_test(test_format_time_is_printf_fixed_6_only_faster),
	    cmocka_unit_test(test_write_run_under_a_file_fails_and_names_the_directory),
	    cmocka_unit_test(test_write_run_that_fails_midway_leaves_no_file),
	    cmocka_unit_test(test_shard_whose_writer_fails_leaves_no_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
