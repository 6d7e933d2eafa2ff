/*
 * cli_validate: `lpsim validate SCENARIO...`. Each file is loaded with
 * every check (scenarios/scenario.h); a good one prints
 * "FILE: ok — C clusters, H hosts, V VMs" on stdout (counts after every
 * `count`), a bad one its errors on stderr. All files are checked, and the
 * exit status is the worst: 66 (some file unreadable) over 65 (some file
 * invalid) over 0. Nothing is written anywhere. Initial placement is
 * checked too (models/estate.h), as `run` would before simulating.
 *
 * A good file also gets "FILE: N of M hardware figures are unanchored
 * defaults ...": the figures of `hardware` that some host takes from a
 * default no public source anchors (scenario_unanchored_defaults()); with
 * --verbose, one line per such figure with its default.
 */
#include "sim/cli_validate.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "models/estate.h"
#include "scenarios/diag.h"
#include "models/scan.h"
#include "scenarios/scenario.h"
#include "sim/cli.h"
#include "sim/configmax.h"

static void validate_usage(FILE *f)
{
	fprintf(f, "usage: lpsim validate [--verbose] [--json] SCENARIO...\n"
	           "\n"
	           "Parses and checks each scenario file, as `lpsim run` does before\n"
	           "simulating, and prints \"FILE: ok — ...\" or every error of the file\n"
	           "as FILE:LINE:COL: error: ...\n"
	           "A good file also gets how many of its hardware figures are defaults\n"
	           "that no public source anchors (assumptions to calibrate; see\n"
	           "scenarios/FORMAT.md). A warning (exit status 0) says where the scenario\n"
	           "exceeds vSphere 8's configuration maximums: hosts per cluster (96), VMs\n"
	           "per host (1024, at initial placement), hosts per vCenter (2500).\n"
	           "  -v, --verbose   list those figures, one per line, with their defaults\n"
	           "  --json          one JSON document on stdout instead: per file, ok or\n"
	           "                  its errors (file, line, col, message), the counts and\n"
	           "                  the unanchored defaults (plots/schemas/validate.schema.json)\n"
	           "\n"
	           "Exit status: 0 all valid, 65 some file invalid, 66 some file missing\n"
	           "or unreadable (66 wins over 65), 64 bad usage.\n");
}

static const char *plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* The unanchored defaults line (and with verbose, one line per figure). */
static void print_unanchored(const char *path, const struct scenario *s, bool verbose)
{
	uint32_t bits = scenario_unanchored_defaults(s);
	int n = scenario_hw_count(bits);
	printf("%s: %d of %d hardware figures %s unanchored defaults (no public source: "
	       "assumptions, calibrate them)\n",
	       path, n, SCENARIO_HW_NFIGURES, n == 1 ? "is an" : "are");
	if (!verbose)
		return;
	for (int f = 0; f < SCENARIO_HW_NFIGURES; f++)
		if (bits & (1u << f))
			printf("  %s: %s\n", scenario_hw_figures[f].path, scenario_hw_figures[f].value);
}

#define VALIDATE_MAX_WARNINGS 10

/*
 * The configuration maximums s exceeds: "FILE: warning: ..." lines on
 * stderr, or (json) the members "warnings" and "warnings_not_shown".
 * Returns -ENOMEM, else 0 (a warning does not change the exit status).
 */
static int print_configmax(const char *path, const struct scenario *s, bool json)
{
	struct diag d;
	struct estate *e = NULL;
	diag_init(&d, path);
	int rc = estate_build(s, &d, &e);
	diag_fini(&d);
	if (rc < 0) /* placement was checked already: only memory fails here */
		return rc == -ENOMEM ? rc : 0;
	struct configmax_warning w[VALIDATE_MAX_WARNINGS];
	size_t n = configmax_check(e, w, VALIDATE_MAX_WARNINGS);
	size_t shown = n < VALIDATE_MAX_WARNINGS ? n : VALIDATE_MAX_WARNINGS;
	char msg[512];
	if (json)
		fputs(", \"warnings\": [", stdout);
	for (size_t i = 0; i < shown; i++) {
		configmax_message(&w[i], msg, sizeof(msg));
		if (!json) {
			fprintf(stderr, "%s: warning: %s (see Configuration maximums in FORMAT.md)\n",
			        path, msg);
			continue;
		}
		printf("%s{\"limit\": \"%s\", \"maximum\": %ld, \"value\": %ld, \"where\": ",
		       i ? ", " : "", configmax_limit_name(w[i].limit), w[i].maximum, w[i].value);
		scan_json_string(stdout, w[i].where);
		fputs(", \"message\": ", stdout);
		scan_json_string(stdout, msg);
		fputc('}', stdout);
	}
	if (json)
		printf("], \"warnings_not_shown\": %zu", n - shown);
	else if (n > shown)
		fprintf(stderr, "%s: warning: and %zu more places over a configuration maximum\n",
		        path, n - shown);
	estate_free(e);
	return 0;
}

/* A diag's entries in position order (stable), as diag_print() prints them. */
static void sort_entries(struct diag_entry *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct diag_entry e = v[i];
		size_t j = i;
		while (j > 0 && (v[j - 1].pos.line > e.pos.line ||
		                 (v[j - 1].pos.line == e.pos.line && v[j - 1].pos.col > e.pos.col))) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = e;
	}
}

/* --json: one file's member of "files" (after the file name). */
static void json_errors(FILE *f, const char *path, struct diag *d, const char *whole)
{
	fputs(", \"ok\": false, \"errors\": [", f);
	size_t n = 0;
	if (whole) { /* an error about the whole file, e.g. it cannot be read */
		fputs("{\"file\": ", f);
		scan_json_string(f, path);
		fputs(", \"line\": null, \"col\": null, \"message\": ", f);
		scan_json_string(f, whole);
		fputc('}', f);
		n++;
	}
	sort_entries(d->v, d->n);
	for (size_t i = 0; i < d->n; i++, n++) {
		fprintf(f, "%s{\"file\": ", n ? ", " : "");
		scan_json_string(f, path);
		if (d->v[i].pos.line)
			fprintf(f, ", \"line\": %u, \"col\": %u", d->v[i].pos.line, d->v[i].pos.col);
		else
			fputs(", \"line\": null, \"col\": null", f);
		fputs(", \"message\": ", f);
		scan_json_string(f, d->v[i].msg);
		fputc('}', f);
	}
	fprintf(f, "], \"errors_not_shown\": %zu", d->dropped);
}

static void json_ok(FILE *f, const struct scenario *s)
{
	uint32_t bits = scenario_unanchored_defaults(s);
	fprintf(f,
	        ", \"ok\": true, \"clusters\": %ld, \"hosts\": %ld, \"vms\": %ld, "
	        "\"unanchored_defaults\": {\"count\": %d, \"of\": %d, \"figures\": [",
	        s->total_clusters, s->total_hosts, s->total_vms, scenario_hw_count(bits),
	        SCENARIO_HW_NFIGURES);
	bool first = true;
	for (int i = 0; i < SCENARIO_HW_NFIGURES; i++) {
		if (!(bits & (1u << i)))
			continue;
		fprintf(f, "%s{\"path\": ", first ? "" : ", ");
		scan_json_string(f, scenario_hw_figures[i].path);
		fputs(", \"default\": ", f);
		scan_json_string(f, scenario_hw_figures[i].value);
		fputc('}', f);
		first = false;
	}
	fputs("]}", f);
}

/* Checks one file; returns its exit status. json: print its JSON member instead. */
static int validate_one(const char *path, bool verbose, bool json)
{
	struct diag d;
	struct scenario *s = NULL;
	diag_init(&d, path);
	int rc = scenario_load_file(path, &d, &s);
	int status = LPSIM_EXIT_OK;
	if (rc == 0 && estate_check(s, &d) == -ENOMEM)
		rc = -ENOMEM; /* initial placement: errors naming the VMs that fit nowhere go into d */
	if (json) {
		fputs("{\"file\": ", stdout);
		scan_json_string(stdout, path);
	}
	if (rc == 0 && !diag_failed(&d)) {
		if (json) {
			json_ok(stdout, s);
			rc = print_configmax(path, s, true);
		} else {
			printf("%s: ok \u2014 %ld %s, %ld %s, %ld %s\n", path, s->total_clusters,
			       plural(s->total_clusters, "cluster", "clusters"), s->total_hosts,
			       plural(s->total_hosts, "host", "hosts"), s->total_vms,
			       plural(s->total_vms, "VM", "VMs"));
			print_unanchored(path, s, verbose);
			fflush(stdout);
			rc = print_configmax(path, s, false);
		}
		if (rc < 0) {
			cli_error("%s: out of memory", path);
			status = LPSIM_EXIT_SOFTWARE;
		}
	} else if (rc == -ENOMEM || d.oom) {
		if (json)
			json_errors(stdout, path, &d, "out of memory");
		else
			diag_print(&d, stderr);
		cli_error("%s: out of memory", path);
		status = LPSIM_EXIT_SOFTWARE;
	} else if (rc == -EINVAL || (rc == 0 && diag_failed(&d))) {
		if (json)
			json_errors(stdout, path, &d, NULL);
		else
			diag_print(&d, stderr);
		status = LPSIM_EXIT_DATA;
	} else {
		if (json)
			json_errors(stdout, path, &d, strerror(-rc));
		else
			cli_error("%s: %s", path, strerror(-rc));
		status = LPSIM_EXIT_NOINPUT;
	}
	if (json)
		fprintf(stdout, ", \"status\": %d}", status);
	scenario_free(s);
	diag_fini(&d);
	return status;
}

/* Worst first: unreadable, then internal error, then invalid. */
static int worse(int a, int b)
{
	static const int order[] = {LPSIM_EXIT_NOINPUT, LPSIM_EXIT_SOFTWARE, LPSIM_EXIT_DATA};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (a == order[i] || b == order[i])
			return order[i];
	return LPSIM_EXIT_OK;
}

int cli_validate(int argc, char **argv)
{
	/* Options anywhere before "--"; everything else is a file. */
	int nfiles = 0;
	bool options_done = false, verbose = false, json = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (options_done || a[0] != '-' || a[1] == '\0') {
			nfiles++;
		} else if (!strcmp(a, "--")) {
			options_done = true;
		} else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			verbose = true;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			validate_usage(stdout);
			return LPSIM_EXIT_OK;
		} else {
			cli_error("validate: unknown option '%s'", a);
			validate_usage(stderr);
			return LPSIM_EXIT_USAGE;
		}
	}
	if (nfiles == 0) {
		cli_error("validate: no scenario file given");
		validate_usage(stderr);
		return LPSIM_EXIT_USAGE;
	}
	int status = LPSIM_EXIT_OK;
	options_done = false;
	if (json)
		printf("{\"tool\": \"lpsim\", \"version\": \"%s\", \"files\": [", LPSIM_VERSION);
	bool first = true;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!options_done && !strcmp(a, "--")) {
			options_done = true;
			continue;
		}
		if (!options_done && a[0] == '-' && a[1] != '\0')
			continue;
		fflush(stdout);
		if (json && !first)
			fputs(",\n  ", stdout);
		first = false;
		status = worse(status, validate_one(a, verbose, json));
	}
	if (json)
		printf("], \"status\": %d}\n", status);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("standard output: %s", strerror(errno ? errno : EIO));
		return LPSIM_EXIT_CANTCREAT;
	}
	return status;
}
