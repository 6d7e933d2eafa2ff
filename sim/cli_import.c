/*
 * lpsim import: reads the export files into memory, runs the import
 * (scenarios/import.h), checks the scenario it made as `lpsim validate`
 * would (loading and initial placement: a failure there is a bug of the
 * import, exit 70), and only then writes it: to -o FILE under a temporary
 * name renamed at the end, or to standard output. On any error nothing is
 * written. Messages: errors as "FILE:LINE: error: ...", warnings and the
 * summary as "lpsim: import: ...", all on stderr.
 */
#include "sim/cli_import.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/estate.h"
#include "scenarios/diag.h"
#include "scenarios/import.h"
#include "scenarios/import_csv.h"
#include "scenarios/scenario.h"
#include "sim/atomicio.h"
#include "sim/cli.h"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: lpsim import rvtools VINFO.csv [--vhost VHOST.csv] [--vnetwork VNETWORK.csv]\n"
	    "                            [--vdisk VDISK.csv] [--vcluster VCLUSTER.csv]\n"
	    "                            [--vdatastore VDATASTORE.csv] [--vsource VSOURCE.csv]\n"
	    "                            [-o SCENARIO.yaml] [--name NAME]\n"
	    "       lpsim import powercli VMS.csv [--hosts HOSTS.csv] [-o SCENARIO.yaml]\n"
	    "                            [--name NAME]\n"
	    "       lpsim import vcenter URL [-o SCENARIO.yaml] [--name NAME]\n"
	    "                            [--credentials FILE] [--ca-file PEM] [--insecure]\n"
	    "                            [--timeout SECONDS|DURATION] [--page-size N]\n"
	    "\n"
	    "Writes a complete, commented scenario from an inventory export, for\n"
	    "`lpsim validate`, `lpsim scan` and `lpsim run` to use as it is.\n"
	    "  rvtools    RVTools CSV exports (File > Export all to csv): vInfo, and\n"
	    "             optionally vHost (host sizes, ESXi versions and builds),\n"
	    "             vNetwork (SR-IOV and passthrough NICs), vDisk (shared disks),\n"
	    "             vCluster (DRS, HA), vDatastore (vSAN) and vSource (each\n"
	    "             vCenter's version and build). Columns are found\n"
	    "             by name; ',' or ';' separated; UTF-8 (BOM or not), UTF-16\n"
	    "             with BOM, or Windows-1252. For an .xlsx export, convert each\n"
	    "             sheet first: xlsx2csv -n vInfo RVTools.xlsx vinfo.csv\n"
	    "  powercli   Get-VM | Export-Csv, and optionally\n"
	    "             Get-VMHost | Export-Csv (--hosts)\n"
	    "  vcenter    the live inventory of a vCenter, through the vSphere Web\n"
	    "             Services API (https://HOST[/sdk]); credentials from\n"
	    "             LPSIM_VCENTER_USER and LPSIM_VCENTER_PASSWORD, or from\n"
	    "             --credentials FILE (user=NAME, password=SECRET; mode 0600);\n"
	    "             TLS verified against the system store or --ca-file PEM;\n"
	    "             --insecure skips verification (a warning); --timeout per\n"
	    "             request (default 60 s). Exit 64 bad URL, 65 login refused\n"
	    "             or bad reply or credentials file, 66 unreachable, TLS\n"
	    "             failure or timeout.\n"
	    "  -o, --output FILE   write the scenario to FILE (default: standard output)\n"
	    "  --name NAME         the scenario's name, [A-Za-z0-9._-]+ (default: from\n"
	    "                      FILE, else \"imported\")\n"
	    "  -h, --help          this help\n"
	    "Each VM and host becomes an entry with its literal name; a VM is pinned to\n"
	    "its export host when that host has room in lpsim's model (see the\n"
	    "scenario's comments). Warnings and a summary go to stderr.\n"
	    "Exit status: 0 written, 64 bad usage, 65 bad input (every error shown,\n"
	    "nothing written), 66 input missing or unreadable, 73 output cannot be\n"
	    "created.\n");
}

/* The scenario must load and place as `lpsim validate` does: 0, -EINVAL (messages printed) or -ENOMEM. */
static int self_check(const char *yaml, size_t len, const char *display)
{
	struct diag d;
	struct scenario *s = NULL;
	diag_init(&d, display);
	int rc = scenario_load_buffer(yaml, len, display, &d, &s);
	if (rc == 0)
		rc = estate_check(s, &d);
	if (rc == 0 && diag_failed(&d))
		rc = -EINVAL;
	if (rc == -EINVAL) {
		diag_print(&d, stderr);
		cli_error("import: internal error: the scenario made does not validate (a bug of "
		          "lpsim import; please report it with the export)");
	}
	scenario_free(s);
	diag_fini(&d);
	return rc;
}

static int write_out(const char *out, const char *yaml, size_t len)
{
	if (!out || !strcmp(out, "-")) {
		if (fwrite(yaml, 1, len, stdout) != len || fflush(stdout) != 0 || ferror(stdout)) {
			cli_error("import: cannot write to standard output: %s", strerror(errno));
			return LPSIM_EXIT_CANTCREAT;
		}
		return LPSIM_EXIT_OK;
	}
	struct afile *a = afile_open(out);
	if (!a) {
		cli_error("%s: %s", out, strerror(errno));
		return LPSIM_EXIT_CANTCREAT;
	}
	FILE *f = afile_stream(a);
	errno = 0;
	if (fwrite(yaml, 1, len, f) != len) {
		int err = errno ? errno : EIO;
		afile_abort(a);
		cli_error("%s: %s", out, strerror(err));
		return LPSIM_EXIT_CANTCREAT;
	}
	int rc = afile_commit(a);
	if (rc < 0) {
		cli_error("%s: %s", out, strerror(-rc));
		return LPSIM_EXIT_CANTCREAT;
	}
	return LPSIM_EXIT_OK;
}

void cli_import__summary(const char *out, const struct iestate_stats *s)
{
	fprintf(stderr, "lpsim: import: wrote %s: %ld cluster%s, %ld host%s, %ld VM%s (%ld pinned)",
	        out && strcmp(out, "-") ? out : "the scenario to standard output", s->clusters,
	        s->clusters == 1 ? "" : "s", s->hosts, s->hosts == 1 ? "" : "s", s->vms,
	        s->vms == 1 ? "" : "s", s->vms_pinned);
	if (s->vms_unplaced)
		fprintf(stderr, ", %ld with count: 0", s->vms_unplaced);
	if (s->vms_off)
		fprintf(stderr, ", %ld powered off or suspended with count: 0", s->vms_off);
}

static void summary(const char *out, const struct import_result *res)
{
	const struct iestate_stats *s = &res->stats;
	cli_import__summary(out, s);
	char skipped[512] = ""; /* 6 reasons of at most 50 bytes each */
	import_append_skipped(res, s->vms_dropped, skipped, sizeof(skipped));
	fprintf(stderr, "%s\n", skipped);
}

bool cli_import__name_ok(const char *cmd, const char *name)
{
	if (scenario_name_ok(name))
		return true;
	cli_error("%s: --name wants letters, digits, '.', '_' or '-', not starting with '.' (got "
	          "'%s')",
	          cmd, name);
	return false;
}

const char *cli_import__name(const char *name, const char *out, char *buf, size_t size)
{
	if (name)
		return name;
	import_scenario_name_from_path(out && strcmp(out, "-") ? out : "imported", buf, size);
	return buf;
}

int cli_import(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc < 2) {
			cli_error("import: which format? (rvtools, powercli or vcenter)");
			usage(stderr);
			return LPSIM_EXIT_USAGE;
		}
		usage(stdout);
		return LPSIM_EXIT_OK;
	}
	if (!strcmp(argv[1], "vcenter"))
		return cli_import__vcenter(argc - 1, argv + 1);
	enum import_format format;
	const char *cmd;
	if (!strcmp(argv[1], "rvtools")) {
		format = IMPORT_RVTOOLS;
		cmd = "import rvtools";
	} else if (!strcmp(argv[1], "powercli")) {
		format = IMPORT_POWERCLI;
		cmd = "import powercli";
	} else {
		cli_error("import: unknown format '%s' (rvtools, powercli or vcenter)", argv[1]);
		usage(stderr);
		return LPSIM_EXIT_USAGE;
	}
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'}, {"name", required_argument, NULL, 'N'},
	    {"vhost", required_argument, NULL, 'H'},  {"vnetwork", required_argument, NULL, 'n'},
	    {"vdisk", required_argument, NULL, 'd'},  {"hosts", required_argument, NULL, 'p'},
	    {"vcluster", required_argument, NULL, 'C'}, {"vdatastore", required_argument, NULL, 'D'},
	    {"vsource", required_argument, NULL, 'S'},
	    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *out = NULL, *name = NULL;
	const char *paths[7] = {NULL}; /* vms, hosts, network, disks, vcluster, vdatastore, vsource */
	int sub_argc = argc - 1;
	char **sub_argv = argv + 1;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(sub_argc, sub_argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!*optarg) {
				cli_error("%s: -o wants a file name (got an empty name)", cmd);
				return LPSIM_EXIT_USAGE;
			}
			out = optarg;
			break;
		case 'N':
			if (!cli_import__name_ok(cmd, optarg))
				return LPSIM_EXIT_USAGE;
			name = optarg;
			break;
		case 'H':
		case 'n':
		case 'd':
		case 'C':
		case 'D':
		case 'S':
		case 'p': {
			static const char letters[] = "pHndCDS"; /* by paths[] index, 'p' shares 1 */
			static const char *const names[] = {"hosts", "vhost", "vnetwork", "vdisk",
			                                    "vcluster", "vdatastore", "vsource"};
			size_t k = (size_t)(strchr(letters, c) - letters);
			bool rv = c != 'p';
			if (rv != (format == IMPORT_RVTOOLS)) {
				cli_error("%s: option '--%s' is for 'lpsim import %s'", cmd, names[k],
				          rv ? "rvtools" : "powercli");
				usage(stderr);
				return LPSIM_EXIT_USAGE;
			}
			paths[k ? k : 1] = optarg;
			break;
		}
		default: /* 'h' too */
			return cli_import__help_or_bad(cmd, c, sub_argv);
		}
	}
	if (optind >= sub_argc) {
		cli_error("%s: which file? (%s)", cmd,
		          format == IMPORT_RVTOOLS ? "the vInfo CSV" : "the Get-VM CSV");
		usage(stderr);
		return LPSIM_EXIT_USAGE;
	}
	if (sub_argc - optind > 1) {
		cli_error("%s: unexpected argument '%s' (the other files go with their options)",
		          cmd, sub_argv[optind + 1]);
		usage(stderr);
		return LPSIM_EXIT_USAGE;
	}
	paths[0] = sub_argv[optind];

	char defname[SCENARIO_MAX_NAME_LEN + 1];
	name = cli_import__name(name, out, defname, sizeof(defname));

	int status = LPSIM_EXIT_OK;
	struct import_file files[7] = {{0}};
	char *bufs[7] = {NULL};
	for (int i = 0; i < 7; i++) {
		if (!paths[i])
			continue;
		char *data;
		size_t len;
		int rc = atomicio_read_file(paths[i], &data, &len, (size_t)ICSV_MAX_BYTES);
		if (rc == -EFBIG) {
			fprintf(stderr,
			        "%s: error: the file is larger than the limit of %ld bytes\n",
			        paths[i], ICSV_MAX_BYTES);
			if (status == LPSIM_EXIT_OK)
				status = LPSIM_EXIT_DATA;
			continue;
		}
		if (rc == -ENOMEM) {
			cli_error("%s: out of memory", paths[i]);
			status = LPSIM_EXIT_SOFTWARE;
			continue;
		}
		if (rc < 0) {
			cli_error("%s: %s", paths[i], strerror(-rc));
			status = LPSIM_EXIT_NOINPUT;
			continue;
		}
		bufs[i] = data;
		files[i] = (struct import_file){.name = paths[i], .data = data, .len = len};
	}
	if (status != LPSIM_EXIT_OK)
		goto out_free_files;

	struct import_request rq = {
	    .format = format,
	    .vms = files[0],
	    .hosts = files[1],
	    .network = files[2],
	    .disks = files[3],
	    .vcluster = files[4],
	    .vdatastore = files[5],
	    .vsource = files[6],
	    .scenario_name = name,
	};
	struct ilog log;
	struct import_result res;
	ilog_init(&log);
	int rc = import_run(&rq, &log, &res);
	if (log.oom)
		rc = -ENOMEM; /* a message was lost: the errors or warnings would be incomplete */
	if (rc == -EINVAL || (rc == 0 && ilog_failed(&log))) {
		ilog_print_errors(&log, stderr);
		status = LPSIM_EXIT_DATA;
	} else if (rc < 0) {
		cli_error("%s: out of memory", cmd);
		status = LPSIM_EXIT_SOFTWARE;
	} else {
		ilog_print_warnings(&log, stderr);
		status = cli_import__check_and_write(cmd, res.yaml, res.len, out);
		if (status == LPSIM_EXIT_OK)
			summary(out, &res);
	}
	import_result_fini(&res);
	ilog_fini(&log);
out_free_files:
	for (int i = 0; i < 7; i++)
		free(bufs[i]);
	return status;
}

int cli_import__check_and_write(const char *cmd, const char *yaml, size_t len, const char *out)
{
	int check = self_check(yaml, len, out && strcmp(out, "-") ? out : "<stdout>");
	if (check == -ENOMEM)
		cli_error("%s: out of memory", cmd);
	return check < 0 ? LPSIM_EXIT_SOFTWARE : write_out(out, yaml, len);
}

void cli_import__usage(FILE *f)
{
	usage(f);
}

int cli_import__help_or_bad(const char *cmd, int c, char **argv)
{
	if (c == 'h') {
		usage(stdout);
		return LPSIM_EXIT_OK;
	}
	cli_option_error(cmd, c, argv);
	usage(stderr);
	return LPSIM_EXIT_USAGE;
}
