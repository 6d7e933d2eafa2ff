/*
 * lpsim merge: shards back into one result (see cli_merge.h).
 *
 * Every shard's header must agree (kind, N, scenario, seed, replications,
 * strategies or axes) and every shard 1..N must be there exactly once;
 * every replication or point must then be present exactly once. The
 * result is what one process writes, byte for byte but for wall_s (the
 * largest of the shards').
 */
#include "sim/cli_merge.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/estate.h"
#include "sim/atomicio.h"
#include "sim/cli.h"
#include "sim/output.h"
#include "sim/run.h"
#include "sim/shard.h"
#include "sim/sweep.h"

/* The next line of *p (up to '\n' or the end); false at the end. */
static bool next_line(const char **p, const char **line, size_t *len)
{
	if (!**p)
		return false;
	const char *nl = strchr(*p, '\n');
	*line = *p;
	*len = nl ? (size_t)(nl - *p) : strlen(*p);
	*p = nl ? nl + 1 : *p + *len;
	return true;
}

static bool same_plan(const struct sweep_plan *a, const struct sweep_plan *b)
{
	if (a->naxes != b->naxes)
		return false;
	for (size_t i = 0; i < a->naxes; i++) {
		const struct sweep_axis *x = &a->axes[i], *y = &b->axes[i];
		if (strcmp(x->path, y->path) || x->nvalues != y->nvalues)
			return false;
		for (size_t j = 0; j < x->nvalues; j++)
			if (strcmp(x->values[j], y->values[j]) || x->quoted[j] != y->quoted[j])
				return false;
	}
	return true;
}

static bool same_header(const struct shard_header *a, const struct shard_header *b)
{
	if (a->kind != b->kind || a->nshards != b->nshards || strcmp(a->scenario, b->scenario))
		return false;
	if (a->kind == SHARD_RUN)
		return a->seed == b->seed && a->replications == b->replications &&
		       a->nstrategies == b->nstrategies &&
		       !memcmp(a->strategies, b->strategies,
		               a->nstrategies * sizeof(a->strategies[0]));
	return a->npoints == b->npoints && same_plan(&a->plan, &b->plan);
}

static bool same_double(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static int merge_sweep(char *const *bufs, const char *const *names, size_t n,
                       const struct shard_header *h, const char *outdir, bool quiet)
{
	struct sweep_result res;
	if (sweep_result_init(&res, h->npoints) < 0) {
		cli_error("out of memory");
		return LPSIM_EXIT_SOFTWARE;
	}
	int status = LPSIM_EXIT_DATA;
	for (size_t i = 0; i < n; i++) {
		const char *p = bufs[i], *line;
		size_t len, ln = 1;
		next_line(&p, &line, &len); /* the header */
		while (next_line(&p, &line, &len)) {
			ln++;
			size_t k;
			struct output_summary s;
			int rc = shard_read_point(line, len, &k, &s);
			if (rc == -ENOMEM) {
				cli_error("out of memory");
				status = LPSIM_EXIT_SOFTWARE;
				goto out;
			}
			if (rc < 0 || k >= res.npoints || res.done[k]) {
				if (rc == 0)
					output_summary_fini(&s);
				cli_error("%s:%zu: %s", names[i], ln,
				          rc < 0 ? "not a sweep point of an lpsim shard"
				                 : "a point out of range or given twice");
				goto out;
			}
			res.sums[k] = s;
			res.done[k] = true;
		}
	}
	for (size_t k = 0; k < res.npoints; k++) {
		if (!res.done[k]) {
			cli_error("merge: point %zu is in no shard (of %zu points)", k,
			          res.npoints);
			goto out;
		}
	}
	res.wall_s = h->wall_s;
	char errpath[4096];
	int wr = sweep_write_dir(outdir, &h->plan, &res, errpath, sizeof(errpath));
	if (wr < 0) {
		cli_error("%s: %s", errpath[0] ? errpath : outdir, strerror(-wr));
		status = wr == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_CANTCREAT;
		goto out;
	}
	if (!quiet)
		fprintf(stderr, "lpsim: merge: %zu points from %zu shards into %s\n", res.npoints,
		        n, outdir);
	status = LPSIM_EXIT_OK;
out:
	sweep_result_fini(&res);
	return status;
}

static int merge_run(char *const *bufs, const char *const *names, size_t n,
                     const struct shard_header *h, const char *outdir, bool quiet)
{
	struct diag d;
	struct scenario *sc = NULL;
	struct estate *e = NULL;
	bool *have = NULL;
	int status = LPSIM_EXIT_SOFTWARE;
	diag_init(&d, h->scenario);
	int rc = scenario_load_file(h->scenario, &d, &sc);
	if (rc == 0 && estate_build(sc, &d, &e) < 0 && !diag_failed(&d))
		rc = -ENOMEM;
	if (rc < 0 || diag_failed(&d)) {
		diag_print(&d, stderr);
		if (rc == -ENOMEM || d.oom) {
			cli_error("%s: out of memory", h->scenario);
		} else if (rc == -EINVAL || diag_failed(&d)) {
			status = LPSIM_EXIT_DATA;
		} else {
			cli_error("%s: %s (the scenario the shards name, read from here)",
			          h->scenario, strerror(-rc));
			status = LPSIM_EXIT_NOINPUT;
		}
		goto out;
	}
	/* Every replication's per-VM downtimes are held at once, as in `run`:
	 * refuse what could not hold them, before reading the records. */
	double need = cli_results_bytes(1, h->replications, h->nstrategies, e->nvms);
	double mem = cli_memory_bytes();
	if (!cli_results_fit(need, mem)) {
		cli_error(
		    "%s: %ld replications of %zu VMs need about %.1f GB for the per-VM "
		    "results, more than the limit of %.0f%% of this machine's memory (%.1f GB); "
		    "merge on a machine with more memory",
		    h->scenario, h->replications, e->nvms, need / 1e9, 100 * CLI_RESULTS_SHARE,
		    CLI_RESULTS_SHARE * mem / 1e9);
		status = LPSIM_EXIT_DATA; /* a limit of the input, as in run and sweep */
		goto out;
	}
	/* Replication 0 again, for the CSV rows (and to check the shards). */
	struct run_opts o = {.seed = h->seed,
	                     .replications = h->replications,
	                     .nstrategies = h->nstrategies,
	                     .jobs = 1,
	                     .ranged = true,
	                     .rep_lo = 0,
	                     .rep_hi = 1};
	memcpy(o.strategies, h->strategies, sizeof(o.strategies));
	struct run_result res;
	rc = run_replications(sc, e, &o, NULL, &res);
	if (rc < 0) {
		cli_error("%s: simulation failed: %s", h->scenario, strerror(-rc));
		goto out;
	}
	size_t nrec = (size_t)h->replications * h->nstrategies;
	have = calloc(nrec, sizeof(bool));
	if (!have) {
		cli_error("out of memory");
		goto out_res;
	}
	status = LPSIM_EXIT_DATA;
	for (size_t i = 0; i < n; i++) {
		const char *p = bufs[i], *line;
		size_t len, ln = 1;
		next_line(&p, &line, &len);
		while (next_line(&p, &line, &len)) {
			ln++;
			size_t si;
			long r;
			struct rec x;
			rc = shard_read_record(line, len, e->nhosts, e->nvms, &si, &r, &x);
			if (rc == -ENOMEM) {
				cli_error("out of memory");
				status = LPSIM_EXIT_SOFTWARE;
				goto out_res;
			}
			const char *bad = rc < 0 ? "not a replication record of an lpsim run shard "
			                           "for this scenario"
			                  : si >= h->nstrategies || r < 0 || r >= h->replications
			                      ? "a replication out of range"
			                  : have[si * (size_t)h->replications + (size_t)r]
			                      ? "a replication given twice"
			                      : NULL;
			if (!bad && r == 0) {
				const struct rec *y = &res.recs[si][0];
				if (!same_double(x.makespan_s, y->makespan_s) ||
				    !same_double(x.downtime_total_s, y->downtime_total_s) ||
				    x.events != y->events)
					bad = "replication 0 differs from the scenario's (was it "
					      "changed "
					      "since the shards ran?)";
			}
			if (bad) {
				if (rc == 0)
					rec_fini(&x);
				cli_error("%s:%zu: %s", names[i], ln, bad);
				goto out_res;
			}
			have[si * (size_t)h->replications + (size_t)r] = true;
			if (r == 0)
				rec_fini(&x);
			else
				res.recs[si][r] = x;
		}
	}
	for (size_t i = 0; i < nrec; i++) {
		if (!have[i]) {
			cli_error(
			    "merge: replication %zu of %s is in no shard",
			    i % (size_t)h->replications,
			    scenario_strategy_name(h->strategies[i / (size_t)h->replications]));
			goto out_res;
		}
	}
	res.opts.ranged = false;
	res.opts.rep_lo = res.opts.rep_hi = 0;
	res.wall_s = h->wall_s;
	struct output_summary sum;
	if (output_summarize(&res, &sum) < 0) {
		cli_error("out of memory");
		status = LPSIM_EXIT_SOFTWARE;
		goto out_res;
	}
	char errpath[4096] = "";
	int wr = output_write_run(outdir, &res, &sum, errpath, sizeof(errpath));
	if (wr < 0) {
		cli_error("%s: %s", errpath[0] ? errpath : outdir, strerror(-wr));
		status = wr == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_CANTCREAT;
	} else if (!quiet && (output_summary_text(stdout, &sum) < 0 || fflush(stdout) != 0)) {
		cli_error("stdout: %s (the results are in %s)", strerror(errno ? errno : EIO),
		          outdir);
		status = LPSIM_EXIT_CANTCREAT;
	} else {
		status = LPSIM_EXIT_OK;
	}
	output_summary_fini(&sum);
out_res:
	run_result_fini(&res);
out:
	free(have);
	estate_free(e);
	scenario_free(sc);
	diag_fini(&d);
	return status;
}

int cli_merge_texts(char *const *bufs, const char *const *names, size_t n, const char *outdir,
                    bool quiet)
{
	if (n == 0) {
		cli_error("merge: no shard files (shard-I-of-N.jsonl) found");
		return LPSIM_EXIT_NOINPUT;
	}
	struct shard_header *hs = calloc(n, sizeof(*hs));
	bool *seen = NULL;
	int status = LPSIM_EXIT_DATA;
	if (!hs) {
		cli_error("out of memory");
		return LPSIM_EXIT_SOFTWARE;
	}
	size_t i;
	for (i = 0; i < n; i++) {
		const char *nl = strchr(bufs[i], '\n');
		size_t len = nl ? (size_t)(nl - bufs[i]) : strlen(bufs[i]);
		char why[160];
		int rc = shard_read_header(bufs[i], len, &hs[i], why, sizeof(why));
		if (rc < 0) {
			cli_error("%s:1: %s", names[i], rc == -ENOMEM ? "out of memory" : why);
			status = rc == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_DATA;
			goto out;
		}
		if (i && !same_header(&hs[0], &hs[i])) {
			cli_error("%s: not a shard of the same %s as %s (scenario, N, seed, "
			          "replications, strategies or axes differ)",
			          names[i], hs[0].kind == SHARD_RUN ? "run" : "sweep", names[0]);
			goto out;
		}
		if (hs[i].wall_s > hs[0].wall_s)
			hs[0].wall_s = hs[i].wall_s;
	}
	seen = calloc(hs[0].nshards, sizeof(bool));
	if (!seen) {
		cli_error("out of memory");
		status = LPSIM_EXIT_SOFTWARE;
		goto out;
	}
	for (size_t k = 0; k < n; k++) {
		if (seen[hs[k].shard]) {
			cli_error("%s: shard %zu of %zu given twice", names[k], hs[k].shard + 1,
			          hs[k].nshards);
			goto out;
		}
		seen[hs[k].shard] = true;
	}
	for (size_t k = 0; k < hs[0].nshards; k++) {
		if (!seen[k]) {
			cli_error("merge: shard %zu of %zu is missing", k + 1, hs[0].nshards);
			goto out;
		}
	}
	status = hs[0].kind == SHARD_RUN ? merge_run(bufs, names, n, &hs[0], outdir, quiet)
	                                 : merge_sweep(bufs, names, n, &hs[0], outdir, quiet);
out:
	for (size_t k = 0; k < n; k++)
		shard_header_fini(&hs[k]);
	free(hs);
	free(seen);
	return status;
}

/* Reading a shard ends: *st says why (0 when it does not). */
static bool shard_refused(const char *path, int *st, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool shard_refused(const char *path, int *st, int status, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_error("%s: %s", path, msg);
	*st = status;
	return true;
}

/*
 * Checks what has been read of a shard (buf[0..len), the header line
 * whole when header_done): its first bytes must be a shard header's, its
 * header line and size within SHARD_MAX_HEADER_BYTES and
 * SHARD_MAX_FILE_BYTES (a regular file by its size, before the rest is
 * read), all shards so far (*total bytes before this one) within the
 * machine's memory, and no NUL byte. True, with *st set, when refused.
 */
static bool shard_too_big(const char *path, const struct stat *sb, size_t len, double total,
                          int *st);

static bool shard_over(const char *path, const char *buf, size_t len, size_t from,
                       bool header_done, const struct stat *sb, double total, int *st)
{
	const size_t plen = strlen(SHARD_HEADER_PREFIX);
	const char *nul = memchr(buf + from, '\0', len - from);
	if (memcmp(buf, SHARD_HEADER_PREFIX, len < plen ? len : plen) != 0 ||
	    (nul && !memchr(buf, '\n', (size_t)(nul - buf))))
		return shard_refused(path, st, LPSIM_EXIT_DATA,
		                     "not an lpsim shard (its first line is no shard header)");
	if (!header_done && len > (size_t)SHARD_MAX_HEADER_BYTES)
		return shard_refused(path, st, LPSIM_EXIT_DATA,
		                     "a first line longer than the limit of %ld MiB: not an "
		                     "lpsim shard header",
		                     SHARD_MAX_HEADER_BYTES >> 20);
	if (!header_done)
		return false;
	if (shard_too_big(path, sb, len, total, st))
		return true;
	if (nul)
		return shard_refused(path, st, LPSIM_EXIT_DATA,
		                     "a NUL byte after its header: not an lpsim shard");
	return false;
}

/* The size checks of shard_over, once the header line is whole. */
static bool shard_too_big(const char *path, const struct stat *sb, size_t len, double total,
                          int *st)
{
	/* A regular file by its size (before reading the rest), any file by what was read
	 * (a file that grows while it is read, a device, a pipe). */
	double size = (double)len;
	if (S_ISREG(sb->st_mode) && (double)sb->st_size > size)
		size = (double)sb->st_size;
	if (size > (double)SHARD_MAX_FILE_BYTES)
		return shard_refused(path, st, LPSIM_EXIT_DATA,
		                     "more than the limit of %lld GiB for a shard file",
		                     SHARD_MAX_FILE_BYTES >> 30);
	double mem = cli_memory_bytes();
	if (!cli_results_fit(total + size, mem))
		return shard_refused(path, st, LPSIM_EXIT_DATA,
		                     "the shards need about %.1f GB to be read, more than the "
		                     "limit of %.0f%% of this machine's memory (%.1f GB)",
		                     (total + size) / 1e9, 100 * CLI_RESULTS_SHARE,
		                     CLI_RESULTS_SHARE * mem / 1e9);
	return false;
}

/*
 * Reads the shard at path whole into *out (malloc'd, NUL-terminated) and
 * its length into *outlen, refusing it (shard_over) as soon as what was
 * read shows it is no shard or too large: /dev/zero or a huge sparse file
 * cost one read. Adds its length to *total. Returns 0 or an exit status
 * (after saying why).
 */
static int read_shard(const char *path, char **out, size_t *outlen, double *total)
{
	int st = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	int e = fd < 0 ? errno : fstat(fd, &sb) < 0 ? errno : S_ISDIR(sb.st_mode) ? EISDIR : 0;
	if (e) {
		cli_error("%s: %s", path, strerror(e));
		if (fd >= 0)
			close(fd);
		return LPSIM_EXIT_NOINPUT;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1);
	bool header_done = false;
	while (buf) {
		if (len == cap) {
			size_t ncap = cap * 2; /* memory follows what was read and checked */
			char *nb = realloc(buf, ncap + 1);
			if (!nb)
				break;
			buf = nb;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			cli_error("%s: %s", path, strerror(errno));
			st = LPSIM_EXIT_NOINPUT;
			break;
		}
		size_t from = len;
		len += (size_t)r;
		header_done = header_done || r == 0 || memchr(buf + from, '\n', (size_t)r);
		if (shard_over(path, buf, len, from, header_done, &sb, *total, &st))
			break;
		if (r == 0)
			break;
	}
	close(fd);
	if (!buf || (!st && !header_done)) {
		cli_error("out of memory");
		st = LPSIM_EXIT_SOFTWARE;
	}
	if (st) {
		free(buf);
		return st;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	*total += (double)len;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: lpsim merge SHARD_DIR|SHARD_FILE... -o DIR [--quiet]\n"
	           "\n"
	           "Combines the shard-I-of-N.jsonl files that `lpsim run --shard I/N` or\n"
	           "`lpsim sweep --shard I/N` wrote (every shard 1..N of one run or sweep) into\n"
	           "the files one process would have written: summary.json, summary.txt and\n"
	           "the CSV files of a run (the scenario named in the shards is read again, and\n"
	           "replication 0 simulated again for the CSV rows), or sweep.json and\n"
	           "sweep.csv. Identical to one process's output but for wall_s.\n"
	           "  -o, --output DIR   results directory (required)\n"
	           "  -q, --quiet        do not print the summary table of a run\n");
}

int cli_merge(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *outdir = NULL;
	bool quiet = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return LPSIM_EXIT_OK;
		default:
			cli_option_error("merge", c, argv);
			usage(stderr);
			return LPSIM_EXIT_USAGE;
		}
	}
	if (!outdir || !*outdir) {
		cli_error("merge: where to? (-o DIR is required)");
		return LPSIM_EXIT_USAGE;
	}
	if (optind >= argc) {
		cli_error("merge: which shards? (lpsim merge SHARD_DIR... -o DIR)");
		return LPSIM_EXIT_USAGE;
	}
	size_t n = 0, cap = 16;
	char **paths = malloc(cap * sizeof(char *));
	char **bufs = NULL;
	int status = LPSIM_EXIT_SOFTWARE;
	if (!paths)
		goto out_oom;
	for (int a = optind; a < argc; a++) {
		struct stat st;
		if (stat(argv[a], &st) < 0) {
			cli_error("%s: %s", argv[a], strerror(errno));
			status = LPSIM_EXIT_NOINPUT;
			goto out;
		}
		size_t first = n;
		DIR *dir = S_ISDIR(st.st_mode) ? opendir(argv[a]) : NULL;
		if (S_ISDIR(st.st_mode) && !dir) {
			cli_error("%s: %s", argv[a], strerror(errno));
			status = LPSIM_EXIT_NOINPUT;
			goto out;
		}
		struct dirent *de;
		while (true) {
			const char *name;
			if (dir) {
				de = readdir(dir);
				if (!de)
					break;
				if (!shard_is_file_name(de->d_name))
					continue;
				name = de->d_name;
			} else {
				name = NULL;
			}
			if (n == cap) {
				char **np = realloc(paths, 2 * cap * sizeof(char *));
				if (!np) {
					if (dir)
						closedir(dir);
					goto out_oom;
				}
				paths = np;
				cap *= 2;
			}
			size_t len = strlen(argv[a]) + (name ? strlen(name) + 2 : 1);
			paths[n] = malloc(len);
			if (!paths[n]) {
				if (dir)
					closedir(dir);
				goto out_oom;
			}
			if (name)
				snprintf(paths[n], len, "%s/%s", argv[a], name);
			else
				snprintf(paths[n], len, "%s", argv[a]);
			n++;
			if (!dir)
				break;
		}
		if (dir)
			closedir(dir);
		qsort(paths + first, n - first, sizeof(char *), cmp_str);
	}
	bufs = calloc(n ? n : 1, sizeof(char *));
	if (!bufs)
		goto out_oom;
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		status = read_shard(paths[i], &bufs[i], &len, &total);
		if (status)
			goto out;
	}
	status = cli_merge_texts(bufs, (const char *const *)paths, n, outdir, quiet);
	goto out;
out_oom:
	cli_error("out of memory");
	status = LPSIM_EXIT_SOFTWARE;
out:
	for (size_t i = 0; i < n; i++) {
		free(paths[i]);
		if (bufs)
			free(bufs[i]);
	}
	free(paths);
	free(bufs);
	return status;
}
