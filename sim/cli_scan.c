/*
 * lpsim scan: the compliance scan of a scenario, printed.
 *
 * The table: a header (scenario, strategy, vCenter, patch); then, up to
 * CLI_SCAN_MAX_HOST_LINES hosts, per cluster a line with its mode and
 * verdict and one line per host; beyond that, one line per cluster entry
 * (the copies a `count:` makes are identical, so they share a line and
 * the figures are per cluster); then the FSR-incompatible VMs by reason,
 * at most CLI_SCAN_MAX_VM_NAMES names each; then a totals line. Names are
 * printed as they are, control characters as \xNN. `--json` prints the
 * RESULTS.md document instead, complete whatever the estate's size, with
 * a header (the tool's version, the scenario, the strategy, when it was
 * scanned: SOURCE_DATE_EPOCH when set, for reproducible output) and each
 * cluster's remediation in words; plots/schemas/scan.schema.json is its
 * schema. `--fail-on blocked|incompatible` exits SCAN_EXIT_FOUND when the
 * scan finds what it names, so that a pipeline can gate on it.
 */
#include "sim/cli_scan.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/estate.h"
#include "models/rem.h"
#include "models/scan.h"
#include "scenarios/diag.h"
#include "scenarios/scenario.h"
#include "sim/cli.h"

#define NAME_BUF    (SCENARIO_MAX_NAME_LEN + 1)
/* Exit status of --fail-on when the scan found what it names (as grep's 1: a
 * finding, not an error). */
#define SCAN_EXIT_FOUND 1

/* What --fail-on gates on. */
enum fail_on { FAIL_ON_NONE, FAIL_ON_BLOCKED, FAIL_ON_INCOMPATIBLE };
#define WRAP_COLUMN 100 /* the VM name lists wrap to at most this many columns */

/* Hosts of one cluster by verdict (scan.h). */
struct cluster_stats {
	size_t eligible;
	size_t paths[3];                    /* per enum scan_path */
	size_t incompat;                    /* FSR-incompatible VMs (primaries on its hosts) */
	size_t reason_hosts[SCAN_NREASONS]; /* hosts per reason, by bit position */
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: lpsim scan SCENARIO [--json] [--strategy live_patch|classic]\n"
	        "                  [--fail-on blocked|incompatible|none]\n"
	        "\n"
	        "The compliance scan, without simulating: for each host whether it may\n"
	        "take the live path and, if not, why (the reasons below; each reason\n"
	        "found is explained again under the hosts); the path it takes under its\n"
	        "cluster's live_patch_mode (live, classic, or none when an enforce-mode\n"
	        "cluster is blocked); and the VMs that cannot be fast-suspend-resumed\n"
	        "(ft, directpath, vsphere_pod, shared_disk) on each host. Memory is\n"
	        "judged after initial placement.\n"
	        "  --json                 print the JSON document (every host and VM)\n"
	        "                         instead of the table; the table has one line\n"
	        "                         per cluster beyond %d hosts\n"
	        "                         with a header: lpsim's version, the scenario,\n"
	        "                         the strategy and when it was scanned (UTC;\n"
	        "                         SOURCE_DATE_EPOCH when set)\n"
	        "  --strategy STRATEGY    live_patch (default): the scenario as written;\n"
	        "                         classic: live_patch_mode disable everywhere\n"
	        "  --fail-on WHAT         exit 1 (after printing) when the scan finds WHAT:\n"
	        "                         blocked: a cluster is blocked (enforce mode and a\n"
	        "                         host that cannot take the live path);\n"
	        "                         incompatible: that, or a VM that cannot be\n"
	        "                         fast-suspend-resumed (its host stays non-compliant\n"
	        "                         until it is remediated by hand); none (default)\n"
	        "  -h, --help             this help\n"
	        "Exit status: 0 scanned (blocked clusters included, unless --fail-on),\n"
	        "1 --fail-on found what it names, 64 bad usage, 65 bad scenario,\n"
	        "66 scenario unreadable.\n"
	        "\n"
	        "Reasons a host cannot take the live path:\n",
	        CLI_SCAN_MAX_HOST_LINES);
	for (int i = 0; i < SCAN_NREASONS; i++)
		fprintf(f, "  %-24s  %s\n", scan_reason_name(1u << i), scan_reason_explain(1u << i));
}

/* ---- names ----------------------------------------------------------------- */

/* Prints s with control characters as \xNN; returns the columns it took (UTF-8 aware). */
static int put_name(FILE *f, const char *s)
{
	int cols = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\x%02x", *p);
			cols += 4;
		} else {
			putc(*p, f);
			if ((*p & 0xc0) != 0x80)
				cols++;
		}
	}
	return cols;
}

/* The columns put_name() takes for s. */
static int name_cols(const char *s)
{
	int cols = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		cols += *p < 0x20 || *p == 0x7f ? 4 : (*p & 0xc0) != 0x80;
	return cols;
}

static void pad(FILE *f, int n)
{
	for (; n > 0; n--)
		putc(' ', f);
}

/* Names a bad pattern could not give (never with a loaded scenario) print as "?". */
static void host_name(const struct estate *e, size_t h, char *buf)
{
	if (estate_host_name(e, h, buf, NAME_BUF) < 0)
		snprintf(buf, NAME_BUF, "?");
}

static void cluster_name(const struct estate *e, size_t c, char *buf)
{
	if (estate_cluster_name(e, c, buf, NAME_BUF) < 0)
		snprintf(buf, NAME_BUF, "?");
}

/* ---- reasons --------------------------------------------------------------- */

static void cluster_stats(const struct estate *e, const struct scan *s, size_t c,
                          struct cluster_stats *st)
{
	const struct estate_cluster *ec = &e->clusters[c];
	memset(st, 0, sizeof(*st));
	for (size_t h = ec->host0; h < (size_t)ec->host0 + ec->nhosts; h++) {
		unsigned r = s->host_reasons[h];
		if (!r)
			st->eligible++;
		st->paths[s->host_path[h]]++;
		for (int i = 0; i < SCAN_NREASONS; i++)
			if (r & (1u << i))
				st->reason_hosts[i]++;
	}
	st->incompat = s->host_incompat0[ec->host0 + ec->nhosts] - s->host_incompat0[ec->host0];
}

/* "tpm, insufficient_memory (1.5 GB free, needs 2)" or "-". */
static void print_host_reasons(FILE *f, unsigned bits, double free_gb, double reservation)
{
	if (!bits) {
		fputs("-", f);
		return;
	}
	const char *sep = "";
	for (int i = 0; i < SCAN_NREASONS; i++) {
		if (!(bits & (1u << i)))
			continue;
		fprintf(f, "%s%s", sep, scan_reason_name(1u << i));
		if (1u << i == SCAN_INSUFFICIENT_MEMORY)
			fprintf(f, " (%g GB free, needs %g)", free_gb, reservation);
		sep = ", ";
	}
}

/* "tpm (1 host), dpu (2 hosts)" or "none". */
static void print_cluster_reasons(FILE *f, const struct cluster_stats *st)
{
	const char *sep = "";
	for (int i = 0; i < SCAN_NREASONS; i++) {
		if (!st->reason_hosts[i])
			continue;
		fprintf(f, "%s%s (%zu host%s)", sep, scan_reason_name(1u << i), st->reason_hosts[i],
		        st->reason_hosts[i] == 1 ? "" : "s");
		sep = ", ";
	}
	if (!*sep)
		fputs("none", f);
}

/* ---- the table ------------------------------------------------------------- */

static const char *path_label(unsigned p)
{
	return p == SCAN_PATH_NONE ? "blocked" : scan_path_name((enum scan_path)p);
}

static void print_header(FILE *f, const struct estate *e, const struct scan *s)
{
	const struct scenario *sc = e->sc;
	char ver[32];
	fputs("scan of ", f);
	put_name(f, sc->name);
	fputs(" (", f);
	put_name(f, sc->file);
	fprintf(f, "), strategy %s\n",
	        s->force_disable ? "classic (live_patch_mode disable everywhere)" : "live_patch");
	fprintf(f, "vCenter %s; patch ",
	        scenario_version_format(sc->vcenter_version, ver, sizeof(ver)));
	put_name(f, sc->patch.name);
	fprintf(f, ": %slive-patchable, components", sc->patch.live_patchable ? "" : "not ");
	static const char *const comps[] = {"vmx", "vmkernel", "daemons"};
	const char *sep = " ";
	for (int i = 0; i < 3; i++)
		if (sc->patch.components & (1u << i)) {
			fprintf(f, "%s%s", sep, comps[i]);
			sep = ", ";
		}
	fprintf(f, "; temporary reservation %g GB per host", sc->patch.reservation_temporary_gb);
	if (sc->patch.base_build)
		fprintf(f, "; base build %ld", sc->patch.base_build);
	putc('\n', f);
}

/* One cluster's verdict line and its host lines. */
static void print_cluster_hosts(FILE *f, const struct estate *e, const struct scan *s, size_t c)
{
	const struct estate_cluster *ec = &e->clusters[c];
	char name[NAME_BUF];
	struct cluster_stats st;
	cluster_stats(e, s, c, &st);
	cluster_name(e, c, name);
	fputs("\ncluster ", f);
	put_name(f, name);
	fprintf(f, ": mode %s, %s; %u host%s, %zu eligible; ",
	        scenario_mode_name(s->cluster_mode[c]),
	        s->cluster_blocked[c] ? "BLOCKED (no host is remediated)" : "not blocked",
	        ec->nhosts, ec->nhosts == 1 ? "" : "s", st.eligible);
	const char *sep = "";
	for (unsigned p = 0; p < 3; p++)
		if (st.paths[p]) {
			fprintf(f, "%s%zu %s", sep, st.paths[p], path_label(p));
			sep = ", ";
		}
	fputs("; reasons: ", f);
	print_cluster_reasons(f, &st);
	putc('\n', f);
	char mode[512];
	fprintf(f, "  remediation: %s\n",
	        rem_cluster_mode(e, s, (uint32_t)c, mode, sizeof(mode)));

	int w = 4; /* "HOST" */
	for (size_t h = ec->host0; h < (size_t)ec->host0 + ec->nhosts; h++) {
		host_name(e, h, name);
		int n = name_cols(name);
		if (n > w)
			w = n;
	}
	fprintf(f, "  HOST");
	pad(f, w - 4);
	fputs("  ELIGIBLE  PATH     FSR-INCOMPATIBLE  REASONS\n", f);
	double reservation = e->sc->patch.reservation_temporary_gb;
	for (size_t h = ec->host0; h < (size_t)ec->host0 + ec->nhosts; h++) {
		host_name(e, h, name);
		fputs("  ", f);
		pad(f, w - put_name(f, name));
		fprintf(f, "  %-8s  %-7s  %-16u  ", s->host_reasons[h] ? "no" : "yes",
		        path_label(s->host_path[h]),
		        (unsigned)(s->host_incompat0[h + 1] - s->host_incompat0[h]));
		print_host_reasons(f, s->host_reasons[h], s->host_free_gb[h], reservation);
		putc('\n', f);
	}
}

/* The clusters [c, end) that one cluster entry's `count:` made. */
static size_t group_end(const struct estate *e, size_t c)
{
	size_t end = c + 1;
	while (end < e->nclusters && e->clusters[end].spec == e->clusters[c].spec)
		end++;
	return end;
}

/* "cl-0001..cl-1250" for copies, else the name. */
static void group_name(const struct estate *e, size_t c, size_t end, char *buf, size_t len)
{
	char first[NAME_BUF], last[NAME_BUF];
	cluster_name(e, c, first);
	if (end - c == 1) {
		snprintf(buf, len, "%s", first);
		return;
	}
	cluster_name(e, end - 1, last);
	snprintf(buf, len, "%s..%s", first, last);
}

/* One line per cluster entry, for estates too large for a line per host. */
static void print_cluster_summary(FILE *f, const struct estate *e, const struct scan *s)
{
	char name[2 * NAME_BUF + 2];
	int w = 7; /* "CLUSTER" */
	for (size_t c = 0; c < e->nclusters; c = group_end(e, c)) {
		group_name(e, c, group_end(e, c), name, sizeof(name));
		int n = name_cols(name);
		if (n > w)
			w = n;
	}
	fprintf(f,
	        "\n%zu hosts in %zu clusters: one line per cluster; the copies of a cluster entry\n"
	        "with `count:` are identical and share a line (COPIES; figures per copy).\n"
	        "'lpsim scan --json' lists every host and VM.\n",
	        e->nhosts, e->nclusters);
	fputs("  CLUSTER", f);
	pad(f, w - 7);
	fputs("  COPIES  MODE     STATUS   HOSTS  ELIGIBLE  LIVE   CLASSIC  BLOCKED  "
	      "FSR-INCOMPATIBLE  REASONS\n",
	      f);
	for (size_t c = 0; c < e->nclusters;) {
		size_t end = group_end(e, c);
		struct cluster_stats st;
		cluster_stats(e, s, c, &st);
		group_name(e, c, end, name, sizeof(name));
		fputs("  ", f);
		pad(f, w - put_name(f, name));
		fprintf(f, "  %-6zu  %-7s  %-7s  %-5u  %-8zu  %-5zu  %-7zu  %-7zu  %-16zu  ",
		        end - c, scenario_mode_name(s->cluster_mode[c]),
		        s->cluster_blocked[c] ? "blocked" : "ok", e->clusters[c].nhosts,
		        st.eligible, st.paths[SCAN_PATH_LIVE], st.paths[SCAN_PATH_CLASSIC],
		        st.paths[SCAN_PATH_NONE], st.incompat);
		print_cluster_reasons(f, &st);
		putc('\n', f);
		c = end;
	}
}

/* The FSR-incompatible VMs by reason, names wrapped, at most CLI_SCAN_MAX_VM_NAMES each. */
static void print_incompatible(FILE *f, const struct estate *e, const struct scan *s)
{
	fprintf(f, "\nFSR-incompatible VMs: %zu of %zu", s->nincompat, e->nvms);
	if (!(e->sc->patch.components & SCENARIO_COMPONENT_VMX))
		fputs(" (the patch leaves the VM runtime unchanged: no FSR is\n"
		      "needed, and these VMs do not hold their hosts out of compliance)\n",
		      f);
	else if (s->nincompat)
		fputs(" (they stay on the old VM runtime and keep their\n"
		      "host non-compliant until manual remediation)\n",
		      f);
	else
		putc('\n', f);
	char cname[NAME_BUF], vname[NAME_BUF];
	for (int i = 0; i < SCAN_NINCOMPAT; i++) {
		unsigned bit = 1u << i;
		int col = fprintf(f, "  %s (%zu)", scan_incompat_name(bit), s->incompatible[i]);
		size_t shown = 0;
		for (size_t v = 0; v < e->nvms && shown < CLI_SCAN_MAX_VM_NAMES; v++) {
			if (!(s->vm_incompat[v] & bit))
				continue;
			cluster_name(e, e->vms[v].cluster, cname);
			if (estate_vm_name(e, v, vname, sizeof(vname)) < 0)
				snprintf(vname, sizeof(vname), "?");
			int n = name_cols(cname) + 1 + name_cols(vname);
			putc(shown ? ',' : ':', f);
			col++;
			if (shown > 0 && col + 1 + n >= WRAP_COLUMN) {
				fputs("\n   ", f);
				col = 3;
			}
			putc(' ', f);
			col += 1 + put_name(f, cname);
			putc('/', f);
			col += 1 + put_name(f, vname);
			shown++;
		}
		if (s->incompatible[i] > shown)
			fprintf(f, "\n    ... and %zu more ('lpsim scan --json' lists them all)",
			        s->incompatible[i] - shown);
		putc('\n', f);
	}
}

/* One line per reason some host has, saying what it means. */
static void print_reason_legend(FILE *f, const struct scan *s, size_t nhosts)
{
	unsigned seen = 0;
	for (size_t h = 0; h < nhosts; h++)
		seen |= s->host_reasons[h];
	if (!seen)
		return;
	fputs("\nreasons:\n", f);
	for (int i = 0; i < SCAN_NREASONS; i++)
		if (seen & (1u << i))
			fprintf(f, "  %-24s  %s\n", scan_reason_name(1u << i),
			        scan_reason_explain(1u << i));
}

/*
 * FT VMs whose secondary runs on another host: that host holds an old VM
 * runtime too and stays non-compliant as long as the primary's does (issue
 * 17: the scan used to name only the primary's host).
 */
static void print_ft_secondaries(FILE *f, const struct estate *e, const struct scan *s)
{
	if (!(e->sc->patch.components & SCENARIO_COMPONENT_VMX) || !s->incompatible[0])
		return;
	char cname[NAME_BUF], vname[NAME_BUF], hp[NAME_BUF], hs[NAME_BUF];
	size_t shown = 0, total = 0;
	for (size_t v = 0; v < e->nvms; v++) {
		if (!(s->vm_incompat[v] & SCAN_FT) || e->vms[v].secondary < 0)
			continue;
		if (total++ == 0)
			fputs("FT secondaries hold their hosts back as the primaries do:\n", f);
		if (shown >= CLI_SCAN_MAX_VM_NAMES)
			continue;
		cluster_name(e, e->vms[v].cluster, cname);
		if (estate_vm_name(e, v, vname, sizeof(vname)) < 0)
			snprintf(vname, sizeof(vname), "?");
		host_name(e, (size_t)e->vms[v].host, hp);
		host_name(e, (size_t)e->vms[v].secondary, hs);
		fputs("  ", f);
		put_name(f, cname);
		putc('/', f);
		put_name(f, vname);
		fputs(": primary on ", f);
		put_name(f, hp);
		fputs(", secondary on ", f);
		put_name(f, hs);
		fputs(" (held back: ft)\n", f);
		shown++;
	}
	if (total > shown)
		fprintf(f, "  ... and %zu more ('lpsim scan --json' lists them all)\n", total - shown);
}

static void print_table(FILE *f, const struct estate *e, const struct scan *s)
{
	print_header(f, e, s);
	if (e->nhosts <= CLI_SCAN_MAX_HOST_LINES)
		for (size_t c = 0; c < e->nclusters; c++)
			print_cluster_hosts(f, e, s, c);
	else
		print_cluster_summary(f, e, s);
	print_reason_legend(f, s, e->nhosts);
	print_incompatible(f, e, s);
	print_ft_secondaries(f, e, s);
	fprintf(f,
	        "\ntotals: %zu hosts, %zu eligible; paths: %zu live, %zu classic, %zu blocked; "
	        "%zu of %zu clusters blocked; %zu VMs, %zu FSR-incompatible\n",
	        e->nhosts, s->eligible_hosts, s->paths[SCAN_PATH_LIVE], s->paths[SCAN_PATH_CLASSIC],
	        s->paths[SCAN_PATH_NONE], s->blocked_clusters, e->nclusters, e->nvms, s->nincompat);
}

/* ---- JSON ---------------------------------------------------------------------- */

/* The members --json adds to each cluster: its remediation in words. */
static void json_cluster(FILE *f, const struct estate *e, const struct scan *s, size_t c, void *arg)
{
	(void)arg;
	char mode[512];
	fputs("\"remediation\": ", f);
	scan_json_string(f, rem_cluster_mode(e, s, (uint32_t)c, mode, sizeof(mode)));
	fputs(", ", f);
}

/* "2026-12-08T03:50:00Z": SOURCE_DATE_EPOCH when it is set (reproducible
 * output), else now. Returns false when neither can be had. */
static bool scan_time(char *buf, size_t len)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t;
	if (sde && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (*end || v < 0)
			return false;
		t = (time_t)v;
	} else {
		t = time(NULL);
	}
	struct tm tm;
	return gmtime_r(&t, &tm) && strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0;
}

/* The header members of --json, into a string (free it), or NULL when out of memory. */
static char *json_head(const struct scenario *sc, bool force_disable)
{
	char *buf = NULL, when[32];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fputs("\"lpsim\": ", f);
	scan_json_string(f, LPSIM_VERSION);
	fputs(", \"scenario\": {\"name\": ", f);
	scan_json_string(f, sc->name);
	fputs(", \"file\": ", f);
	scan_json_string(f, sc->file);
	fprintf(f, "}, \"strategy\": \"%s\", \"scanned_at\": ",
	        force_disable ? "classic" : "live_patch");
	if (scan_time(when, sizeof(when)))
		scan_json_string(f, when);
	else
		fputs("null", f);
	fputs(",\n ", f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* ---- the command ----------------------------------------------------------- */

int cli_scan(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"strategy", required_argument, NULL, 's'},
	    {"fail-on", required_argument, NULL, 'F'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	bool json = false, force_disable = false;
	enum fail_on fail_on = FAIL_ON_NONE;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 's':
			if (!strcmp(optarg, "live_patch")) {
				force_disable = false;
			} else if (!strcmp(optarg, "classic")) {
				force_disable = true;
			} else {
				cli_error("scan: --strategy wants live_patch or classic (got '%s')",
				          optarg);
				return LPSIM_EXIT_USAGE;
			}
			break;
		case 'F':
			if (!strcmp(optarg, "none")) {
				fail_on = FAIL_ON_NONE;
			} else if (!strcmp(optarg, "blocked")) {
				fail_on = FAIL_ON_BLOCKED;
			} else if (!strcmp(optarg, "incompatible")) {
				fail_on = FAIL_ON_INCOMPATIBLE;
			} else {
				cli_error("scan: --fail-on wants blocked, incompatible or none (got '%s')",
				          optarg);
				return LPSIM_EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return LPSIM_EXIT_OK;
		default:
			cli_option_error("scan", c, argv);
			usage(stderr);
			return LPSIM_EXIT_USAGE;
		}
	}
	if (optind == argc) {
		cli_error("scan: no scenario file");
		usage(stderr);
		return LPSIM_EXIT_USAGE;
	}
	if (argc - optind > 1) {
		cli_error("scan: unexpected argument '%s' (one scenario at a time)",
		          argv[optind + 1]);
		usage(stderr);
		return LPSIM_EXIT_USAGE;
	}
	const char *path = argv[optind];

	int status = LPSIM_EXIT_SOFTWARE;
	struct diag d;
	struct scenario *sc = NULL;
	struct estate *e = NULL;
	struct scan *s = NULL;
	diag_init(&d, path);
	int rc = scenario_load_file(path, &d, &sc);
	if (rc == 0)
		rc = estate_build(sc, &d, &e);
	if (rc == -EINVAL) {
		diag_print(&d, stderr);
		status = LPSIM_EXIT_DATA;
		goto out;
	}
	if (rc == -ENOMEM)
		goto out_oom;
	if (rc < 0) {
		cli_error("%s: %s", path, strerror(-rc));
		status = LPSIM_EXIT_NOINPUT;
		goto out;
	}
	if (scan_run(e, force_disable, &s) < 0)
		goto out_oom;

	if (json) {
		char *head = json_head(sc, force_disable);
		if (!head)
			goto out_oom;
		struct scan_json_extra x = {head, json_cluster, NULL};
		rc = scan_write_json_ex(stdout, e, s, &x);
		free(head);
		if (rc < 0 && rc != -EIO) {
			cli_error("scan: cannot write the JSON document: %s", strerror(-rc));
			goto out;
		}
	} else {
		print_table(stdout, e, s);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("scan: cannot write to standard output: %s", strerror(errno));
		status = LPSIM_EXIT_CANTCREAT;
		goto out;
	}
	status = LPSIM_EXIT_OK;
	if ((fail_on >= FAIL_ON_BLOCKED && s->blocked_clusters) ||
	    (fail_on == FAIL_ON_INCOMPATIBLE && s->nincompat)) {
		cli_error("scan: --fail-on %s: %zu of %zu cluster%s blocked, %zu VM%s FSR-incompatible",
		          fail_on == FAIL_ON_BLOCKED ? "blocked" : "incompatible", s->blocked_clusters,
		          e->nclusters, e->nclusters == 1 ? "" : "s", s->nincompat,
		          s->nincompat == 1 ? "" : "s");
		status = SCAN_EXIT_FOUND;
	}
	goto out;
out_oom:
	cli_error("scan: out of memory");
	status = LPSIM_EXIT_SOFTWARE;
out:
	scan_free(s);
	estate_free(e);
	scenario_free(sc);
	diag_fini(&d);
	return status;
}
