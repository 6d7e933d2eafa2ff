/*
 * lpsim import vcenter: the command line of the live import
 * (scenarios/import_vcenter.h). Options, credentials (environment or a
 * 0600 file, wiped from memory after use), the --insecure warning, and the
 * exit status of each failure; the scenario is checked and written by
 * cli_import.c, as the CSV importers' is.
 */
#include "sim/cli_import.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/import.h"
#include "scenarios/import_vcenter.h"
#include "scenarios/scenario.h"
#include "sim/cli.h"

#define VC_CMD        "import vcenter"
#define VC_SECRET_MAX 1024

static void wipe(char *p, size_t n)
{
	volatile char *v = p;
	for (size_t i = 0; i < n; i++)
		v[i] = 0;
}

/* The credentials: --credentials FILE, else the environment. Returns an exit status. */
static int vc_credentials(const char *file, char *user, char *pass)
{
	if (file) {
		char msg[256];
		int rc = ivc_read_credentials(file, user, pass, VC_SECRET_MAX, msg, sizeof(msg));
		if (rc != 0)
			cli_error("%s: %s: %s", VC_CMD, file, msg);
		return rc == 0                          ? LPSIM_EXIT_OK
		       : rc == -EACCES || rc == -EINVAL ? LPSIM_EXIT_DATA
		                                        : LPSIM_EXIT_NOINPUT;
	}
	const char *u = getenv("LPSIM_VCENTER_USER"), *p = getenv("LPSIM_VCENTER_PASSWORD");
	if (!u || !*u || !p) {
		cli_error("%s: no credentials: set LPSIM_VCENTER_USER and LPSIM_VCENTER_PASSWORD, "
		          "or give --credentials FILE (never on the command line)",
		          VC_CMD);
		return LPSIM_EXIT_USAGE;
	}
	if (strlen(u) >= VC_SECRET_MAX || strlen(p) >= VC_SECRET_MAX) {
		cli_error("%s: the user or password is longer than %d bytes", VC_CMD,
		          VC_SECRET_MAX - 1);
		return LPSIM_EXIT_USAGE;
	}
	strcpy(user, u);
	strcpy(pass, p);
	return LPSIM_EXIT_OK;
}

static int vc_api_status(enum vcapi_err e)
{
	switch (e) {
	case VCAPI_EURL:
		return LPSIM_EXIT_USAGE;
	case VCAPI_ECONNECT:
	case VCAPI_ETLS:
	case VCAPI_ETIMEOUT:
		return LPSIM_EXIT_NOINPUT;
	case VCAPI_ENOMEM:
		return LPSIM_EXIT_SOFTWARE;
	default:
		return LPSIM_EXIT_DATA; /* login refused, bad reply, fault */
	}
}

/* The summary line, as the CSV importers' (cli_import.c). */
static void vc_summary(const char *out, const struct ivc_result *res)
{
	cli_import__summary(out, &res->stats);
	fprintf(stderr,
	        "; not imported: %ld templates, %ld FT secondaries, %ld not connected, %ld on no "
	        "host\n",
	        res->skipped_templates, res->skipped_ft_secondaries, res->skipped_disconnected,
	        res->skipped_homeless);
}

/* Imports, checks and writes; the credentials are borrowed. */
static int vc_import(struct ivc_request *rq, const char *out)
{
	struct ilog log;
	struct ivc_result res;
	enum vcapi_err err;
	char msg[768];
	int status;
	ilog_init(&log);
	enum ivc_status st = ivc_run(rq, &log, &res, &err, msg, sizeof(msg));
	if (st == IVC_API) {
		cli_error("%s: %s: %s", VC_CMD, rq->api.url, msg);
		status = vc_api_status(err);
	} else if (st == IVC_ENOMEM || log.oom) {
		cli_error("%s: out of memory", VC_CMD);
		status = LPSIM_EXIT_SOFTWARE;
	} else if (st == IVC_EINVAL || ilog_failed(&log)) {
		ilog_print_errors(&log, stderr);
		status = LPSIM_EXIT_DATA;
	} else {
		ilog_print_warnings(&log, stderr);
		status = cli_import__check_and_write("import", res.yaml, res.len, out);
		if (status == LPSIM_EXIT_OK)
			vc_summary(out, &res);
	}
	ivc_result_fini(&res);
	ilog_fini(&log);
	return status;
}

/* What the command line asks; -1 when the import may go on, else an exit status. */
struct vc_args {
	const char *out;
	const char *name;
	const char *cred;
};

/*
 * --timeout (c 't'): whole seconds, the documented unit, or a duration
 * with a unit ("90s", "2m"), 1 s .. 1 h; --page-size (c 'P'): 1..100000.
 */
static bool vc_parse_limit(int c, const char *arg, long *num)
{
	double s;
	if (import_parse_whole(arg, c == 't' ? 3600 : 100000, num) && *num >= 1)
		return true;
	if (c != 't' || !scenario_parse_duration(arg, &s, NULL, 0) || !(s >= 1 && s <= 3600) ||
	    s != (double)(long)s)
		return false;
	*num = (long)s;
	return true;
}

static int vc_options(int argc, char **argv, struct vc_args *a, struct ivc_request *rq)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"name", required_argument, NULL, 'N'},
	    {"credentials", required_argument, NULL, 'c'},
	    {"ca-file", required_argument, NULL, 'a'},
	    {"insecure", no_argument, NULL, 'k'},
	    {"timeout", required_argument, NULL, 't'},
	    {"page-size", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	long num;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			a->out = optarg;
			break;
		case 'N':
			if (!cli_import__name_ok(VC_CMD, optarg))
				return LPSIM_EXIT_USAGE;
			a->name = optarg;
			break;
		case 'c':
			a->cred = optarg;
			break;
		case 'a':
			rq->api.ca_file = optarg;
			break;
		case 'k':
			rq->api.insecure = true;
			break;
		case 't':
		case 'P':
			if (!vc_parse_limit(c, optarg, &num)) {
				cli_error("%s: --%s wants a whole number %s (got '%s')", VC_CMD,
				          c == 't' ? "timeout" : "page-size",
				          c == 't' ? "of seconds (the documented unit) or a duration, 1s..1h" : "1..100000", optarg);
				return LPSIM_EXIT_USAGE;
			}
			*(c == 't' ? &rq->api.timeout_s : &rq->api.page_objects) = num;
			break;
		default: /* 'h' too */
			return cli_import__help_or_bad(VC_CMD, c, argv);
		}
	}
	if (argc - optind != 1) {
		cli_error("%s: %s", VC_CMD,
		          optind >= argc ? "which vCenter? (https://HOST)" : "one URL only");
		cli_import__usage(stderr);
		return LPSIM_EXIT_USAGE;
	}
	if ((a->out && !*a->out) || (rq->api.insecure && rq->api.ca_file)) {
		cli_error("%s: %s", VC_CMD,
		          a->out && !*a->out ? "-o wants a file name"
		                             : "--insecure and --ca-file exclude each other");
		return LPSIM_EXIT_USAGE;
	}
	rq->api.url = argv[optind];
	char endpoint[2048], emsg[512];
	if (vcapi_endpoint(rq->api.url, endpoint, sizeof(endpoint), emsg, sizeof(emsg)) !=
	    VCAPI_OK) {
		cli_error("%s: %s", VC_CMD, emsg);
		return LPSIM_EXIT_USAGE;
	}
	return -1;
}

int cli_import__vcenter(int argc, char **argv)
{
	struct vc_args a = {0};
	struct ivc_request rq = {.api = {.timeout_s = 60}};
	int st = vc_options(argc, argv, &a, &rq);
	if (st >= 0)
		return st;
	const char *out = a.out;
	char defname[SCENARIO_MAX_NAME_LEN + 1];
	rq.scenario_name = cli_import__name(a.name, out, defname, sizeof(defname));
	char *user = calloc(2, VC_SECRET_MAX);
	if (!user) {
		cli_error("%s: out of memory", VC_CMD);
		return LPSIM_EXIT_SOFTWARE;
	}
	char *pass = user + VC_SECRET_MAX;
	int status = vc_credentials(a.cred, user, pass);
	if (status == LPSIM_EXIT_OK) {
		if (rq.api.insecure)
			fprintf(stderr, "lpsim: import: warning: --insecure: the server's TLS "
			                "certificate is not verified; the password may go to an "
			                "impostor\n");
		rq.api.user = user;
		rq.api.password = pass;
		status = vc_import(&rq, out);
	}
	wipe(user, 2 * VC_SECRET_MAX);
	free(user);
	return status;
}
