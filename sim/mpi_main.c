/*
 * lpsim-mpi: `mpirun -n K lpsim-mpi run|sweep ARGS...` (built by `make mpi`
 * with -DLPSIM_MPI; in the plain build this file is empty).
 *
 * Each rank r runs the command as shard r+1 of K (`--shard r+1/K`, the
 * same split as GNU parallel or a Slurm array would use) into a private
 * temporary directory, reads its shard's JSON Lines back and sends them to
 * rank 0, which merges them exactly as `lpsim merge` does and writes the
 * files one process would have written (RESULTS.md: everything but wall_s
 * is the same whatever the number of ranks). Any rank failing makes every
 * rank exit with the largest status. No global state: everything lives in
 * mpi_main's frame.
 */
#ifdef LPSIM_MPI

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <mpi.h>

#include "scenarios/scenario.h"
#include "sim/atomicio.h"
#include "sim/cli.h"
#include "sim/cli_merge.h"
#include "sim/cli_plot.h"
#include "sim/cli_run.h"
#include "sim/cli_sweep.h"
#include "sim/shard.h"

#define CHUNK (1 << 30)

static void send_text(const char *buf, long long len)
{
	MPI_Send(&len, 1, MPI_LONG_LONG, 0, 1, MPI_COMM_WORLD);
	for (long long off = 0; off < len; off += CHUNK) {
		int n = (int)(len - off < CHUNK ? len - off : CHUNK);
		MPI_Send(buf + off, n, MPI_CHAR, 0, 2, MPI_COMM_WORLD);
	}
}

static char *recv_text(int from)
{
	long long len = 0;
	MPI_Recv(&len, 1, MPI_LONG_LONG, from, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	char *buf = malloc((size_t)len + 1);
	for (long long off = 0; off < len; off += CHUNK) {
		int n = (int)(len - off < CHUNK ? len - off : CHUNK);
		MPI_Recv(buf ? buf + off : NULL, buf ? n : 0, MPI_CHAR, from, 2, MPI_COMM_WORLD,
		         MPI_STATUS_IGNORE);
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: mpirun -n K lpsim-mpi run|sweep SCENARIO [OPTIONS]\n"
	           "\n"
	           "Runs `lpsim run` or `lpsim sweep` with the work shared by the K ranks\n"
	           "(rank r computes shard r+1 of K); rank 0 writes the same files one\n"
	           "process would (all options of run and sweep but --shard and\n"
	           "--all-replications).\n");
}

/*
 * The results directory run (or sweep) picks without -o for the scenario
 * at path, which must be loaded again for its name. Returns 0, or a
 * negative errno after saying why on stderr.
 */
static int default_dir(bool run, const char *path, char *buf, size_t len)
{
	struct diag d;
	struct scenario *sc = NULL;
	diag_init(&d, path);
	int rc = scenario_load_file(path, &d, &sc);
	if (rc == 0 && !diag_failed(&d)) {
		if (run)
			cli_run_default_dir(buf, len, sc->name);
		else
			cli_sweep_default_dir(buf, len, sc->name);
	} else {
		diag_print(&d, stderr);
		if (rc == -ENOMEM || d.oom)
			cli_error("%s: out of memory", path);
		else if (rc < 0 && rc != -EINVAL && !diag_failed(&d))
			cli_error("%s: %s", path, strerror(-rc));
		if (rc == 0)
			rc = -EINVAL;
	}
	scenario_free(sc);
	diag_fini(&d);
	return rc;
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	int provided;
	MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
	int rank = 0, size = 1;
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	int status = LPSIM_EXIT_OK;
	char tmpdir[] = "/tmp/lpsim-mpi-XXXXXX";
	bool have_tmp = false;
	char **av = NULL;
	char *text = NULL;
	size_t len = 0;

	if (argc < 2 || (strcmp(argv[1], "run") && strcmp(argv[1], "sweep"))) {
		if (rank == 0) {
			bool help =
			    argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
			usage(help ? stdout : stderr);
			status = help ? LPSIM_EXIT_OK : LPSIM_EXIT_USAGE;
		}
		goto out_bcast;
	}
	const char *cmd = argv[1];
	const bool run = !strcmp(cmd, "run");
	/* The command line as the command itself reads it (its getopt_long table). */
	struct cli_cmdline cl;
	if ((run ? cli_run_cmdline : cli_sweep_cmdline)(argc - 1, argv + 1, &cl) < 0) {
		cli_error("out of memory");
		status = LPSIM_EXIT_SOFTWARE;
		goto out_bcast;
	}
	if (cl.refused) {
		if (rank == 0)
			cli_error("%s: lpsim-mpi shares the work itself: no %s", cmd, cl.refused);
		status = LPSIM_EXIT_USAGE;
		goto out_bcast;
	}
	if (cl.help) {
		if (rank == 0)
			status = run ? cli_run(argc - 1, argv + 1) : cli_sweep(argc - 1, argv + 1);
		goto out_bcast;
	}
	const char *outdir = cl.outdir;

	/* Every rank: its shard, into a private directory. */
	if (!mkdtemp(tmpdir)) {
		cli_error("%s: %s", tmpdir, strerror(errno));
		status = LPSIM_EXIT_CANTCREAT;
	} else {
		have_tmp = true;
		char shard[64];
		snprintf(shard, sizeof(shard), "%d/%d", rank + 1, size);
		av = calloc((size_t)argc + 8, sizeof(char *));
		if (!av) {
			status = LPSIM_EXIT_SOFTWARE;
		} else {
			int n = 0;
			for (int i = 1; i < argc; i++)
				av[n++] = argv[i];
			av[n++] = "--shard";
			av[n++] = shard;
			av[n++] = "-o";
			av[n++] = tmpdir;
			av[n++] = "--quiet";
			av[n] = NULL;
			status = run ? cli_run(n, av) : cli_sweep(n, av);
		}
	}
	if (status == 0) {
		char file[128];
		shard_file_name(file, sizeof(file), tmpdir, (size_t)rank, (size_t)size);
		int rc = atomicio_read_file(file, &text, &len, SIZE_MAX);
		if (rc < 0) {
			cli_error("%s: %s", file, strerror(-rc));
			status = LPSIM_EXIT_SOFTWARE;
		}
		remove(file);
	}
	int worst = status;
	MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	status = worst;
	if (status != 0)
		goto out;

	if (rank != 0) {
		send_text(text, (long long)len);
		goto out;
	}
	char **bufs = calloc((size_t)size, sizeof(char *));
	char **names = calloc((size_t)size, sizeof(char *));
	char *name_store = calloc((size_t)size, 32);
	if (!bufs || !names || !name_store) {
		cli_error("out of memory");
		status = LPSIM_EXIT_SOFTWARE;
	} else {
		bufs[0] = text;
		text = NULL;
		for (int r = 0; r < size; r++) {
			names[r] = name_store + 32 * r;
			snprintf(names[r], 32, "rank %d", r);
			if (r > 0)
				bufs[r] = recv_text(r);
			if (!bufs[r])
				status = LPSIM_EXIT_SOFTWARE;
		}
		char defdir[SCENARIO_MAX_NAME_LEN + 64];
		if (status != 0) {
			cli_error("out of memory");
		} else if (!outdir) {
			/* cli_run or cli_sweep took exactly one scenario to get here */
			if (!cl.scenario) {
				cli_error("%s: which scenario?", cmd);
				status = LPSIM_EXIT_SOFTWARE;
			} else if (default_dir(run, cl.scenario, defdir, sizeof(defdir)) < 0) {
				status = LPSIM_EXIT_SOFTWARE;
			}
			outdir = defdir;
		}
		if (status == 0)
			status = cli_merge_texts(bufs, (const char *const *)names, (size_t)size,
			                         outdir, cl.quiet || !run);
		/* The charts, as one process draws them. */
		if (status == 0 && !cl.no_plots)
			status = run ? cli_plot_run_charts(outdir) : cli_plot_sweep_chart(outdir);
	}
	for (int r = 0; bufs && r < size; r++)
		free(bufs[r]);
	free(bufs);
	free(names);
	free(name_store);
out:
	free(text);
	free(av);
	if (have_tmp)
		rmdir(tmpdir);
out_bcast:
	MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
	MPI_Finalize();
	return status;
}

#else
/* The plain build has no MPI: nothing here (ISO C wants a declaration). */
typedef int mpi_main_unused;
#endif
