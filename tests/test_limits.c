/*
 * test_limits: every boundary of README.md's "Limits" table, with the real
 * constants. For each limit, input exactly at it is accepted and input one
 * past it is refused with a message naming the limit (for scenario errors,
 * in the FILE:LINE:COL form that `lpsim validate` prints).
 *
 * The limits are big (millions of nodes, a 64 MiB file), so the inputs are
 * built in memory with the cheapest encodings that reach them: one-line
 * flow sequences, aliases that copy a thousand nodes at a time, `count`
 * (totals are checked before anything is expanded), sparse files and
 * untouched anonymous mappings for sizes checked before reading. Expected
 * numbers are computed from the headers' constants, so the tests follow
 * the code when a limit changes.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenarios/diag.h"
#include "scenarios/import_csv.h"
#include "scenarios/import_log.h"
#include "scenarios/scenario.h"
#include "scenarios/ynode.h"
#include "sim/cli.h"
#include "sim/sim.h"

/* ---- helpers ---------------------------------------------------------------- */

/* A valid scenario; tests append top-level keys after it. 7 lines. */
#define BASE                                                                                       \
	"lpsim: 1\n"                                                                               \
	"name: t\n"                                                                                \
	"patch: {name: p}\n"                                                                       \
	"clusters:\n"                                                                              \
	"  - name: c\n"                                                                            \
	"    hosts: [{name: h-%d, count: 2, cores: 8, memory_gb: 64}]\n"                           \
	"    vms: [{name: v-%d, count: 3, vcpus: 2, memory_gb: 4}]\n"
#define BASE_LINES 7

/* A growing text (open_memstream): the generated inputs reach megabytes. */
struct gen {
	FILE *f;
	char *buf;
	size_t len;
};

static void gen_open(struct gen *g)
{
	g->buf = NULL;
	g->len = 0;
	g->f = open_memstream(&g->buf, &g->len);
	assert_non_null(g->f);
}

static void gen_printf(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void gen_printf(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	assert_true(vfprintf(g->f, fmt, ap) >= 0);
	va_end(ap);
}

/* n copies of item (e.g. "0,"): the bulk of the big inputs, a block at a time. */
static void gen_repeat(struct gen *g, const char *item, long n)
{
	static char block[1 << 16];
	size_t len = strlen(item);
	assert_true(len > 0 && len <= sizeof(block));
	long per = (long)(sizeof(block) / len);
	for (long i = 0; i < per && i < n; i++)
		memcpy(block + (size_t)i * len, item, len);
	while (n > 0) {
		long k = n < per ? n : per;
		assert_int_equal(fwrite(block, len, (size_t)k, g->f), (size_t)k);
		n -= k;
	}
}

/* The column (1-based) the next character will have on a one-line text. */
static long gen_col(struct gen *g)
{
	assert_int_equal(fflush(g->f), 0);
	return (long)g->len + 1;
}

static void gen_close(struct gen *g)
{
	assert_int_equal(fclose(g->f), 0);
	g->f = NULL;
	assert_non_null(g->buf);
}

/* What `lpsim validate` would print for d (malloc'd). */
static char *printed(struct diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	diag_print(d, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("expected \"%s\" in:\n%s", needle, haystack);
}

/* The tree of buf must load (only the YAML limits apply). */
static void tree_ok(const char *buf, size_t len)
{
	struct diag d;
	struct ytree *t = NULL;
	diag_init(&d, "t.yaml");
	int rc = ytree_load_buffer(buf, len, "t.yaml", &d, &t);
	if (rc != 0) {
		diag_print(&d, stderr);
		fail_msg("tree refused (%d)", rc);
	}
	assert_non_null(t);
	ytree_free(t);
	diag_fini(&d);
}

/* The tree of buf must be refused, and the printed errors contain want. */
static void tree_refused(const char *buf, size_t len, const char *want)
{
	struct diag d;
	struct ytree *t = NULL;
	diag_init(&d, "t.yaml");
	int rc = ytree_load_buffer(buf, len, "t.yaml", &d, &t);
	assert_int_equal(rc, -EINVAL);
	assert_null(t);
	char *got = printed(&d);
	assert_contains(got, want);
	free(got);
	diag_fini(&d);
}

/* At the limit (past false) the tree of buf loads; one past, it is refused
 * with the error printf(fmt, ...), column and limit filled in by the caller. */
static void tree_at_or_past(const char *buf, size_t len, bool past, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void tree_at_or_past(const char *buf, size_t len, bool past, const char *fmt, ...)
{
	if (!past) {
		tree_ok(buf, len);
		return;
	}
	char want[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	tree_refused(buf, len, want);
}

/* buf must be a valid scenario (sweep values checked too); returns it. */
static struct scenario *scn_ok(const char *buf, size_t len)
{
	struct diag d;
	struct scenario *s = NULL;
	diag_init(&d, "t.yaml");
	int rc = scenario_load_buffer(buf, len, "t.yaml", &d, &s);
	if (rc != 0 || diag_failed(&d)) {
		diag_print(&d, stderr);
		fail_msg("scenario refused (%d)", rc);
	}
	assert_non_null(s);
	diag_fini(&d);
	return s;
}

/* buf must be refused; returns what validate prints (malloc'd). */
static char *scn_errors(const char *buf, size_t len)
{
	struct diag d;
	struct scenario *s = NULL;
	diag_init(&d, "t.yaml");
	int rc = scenario_load_buffer(buf, len, "t.yaml", &d, &s);
	assert_int_equal(rc, -EINVAL);
	assert_null(s);
	char *got = printed(&d);
	diag_fini(&d);
	return got;
}

/* The errors printed for scenario buf are exactly want. */
static void assert_errors(const char *buf, size_t len, const char *want)
{
	char *got = scn_errors(buf, len);
	assert_string_equal(got, want);
	free(got);
}

static void scn_refused(const char *buf, size_t len, const char *want)
{
	char *got = scn_errors(buf, len);
	assert_contains(got, want);
	free(got);
}

/* BASE plus extra (printf-style) must load / must be refused with want. */
static struct scenario *base_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void base_refused(const char *want, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static struct scenario *base_ok(const char *fmt, ...)
{
	struct gen g;
	gen_open(&g);
	gen_printf(&g, "%s", BASE);
	va_list ap;
	va_start(ap, fmt);
	assert_true(vfprintf(g.f, fmt, ap) >= 0);
	va_end(ap);
	gen_close(&g);
	struct scenario *s = scn_ok(g.buf, g.len);
	free(g.buf);
	return s;
}

static void base_refused(const char *want, const char *fmt, ...)
{
	struct gen g;
	gen_open(&g);
	gen_printf(&g, "%s", BASE);
	va_list ap;
	va_start(ap, fmt);
	assert_true(vfprintf(g.f, fmt, ap) >= 0);
	va_end(ap);
	gen_close(&g);
	scn_refused(g.buf, g.len, want);
	free(g.buf);
}

/* A fresh directory for files (removed by rm_tmpdir). */
static void make_tmpdir(char *dir, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, size, "%s/lpsim-limits-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
}

/* ---- scenario file: 64 MiB, checked before reading ---------------------------------- */

/*
 * A valid scenario padded with one comment line to exactly the limit
 * loads. libyaml skims a comment at a few hundred MB/s, so this costs a
 * fraction of a second even though it reads all 64 MiB.
 */
static void test_file_of_exactly_the_size_limit_loads(void **state)
{
	(void)state;
	char dir[512], path[600];
	make_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/max.yaml", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	size_t head = strlen(BASE "#");
	assert_int_equal(fwrite(BASE "#", 1, head, f), head);
	static char pad[1 << 16];
	memset(pad, 'x', sizeof(pad));
	size_t left = (size_t)SCENARIO_MAX_FILE_BYTES - head;
	while (left) {
		size_t n = left < sizeof(pad) ? left : sizeof(pad);
		assert_int_equal(fwrite(pad, 1, n, f), n);
		left -= n;
	}
	assert_int_equal(fclose(f), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, SCENARIO_MAX_FILE_BYTES);

	struct diag d;
	struct scenario *s = NULL;
	diag_init(&d, path);
	int rc = scenario_load_file(path, &d, &s);
	if (rc)
		diag_print(&d, stderr);
	assert_int_equal(rc, 0);
	assert_string_equal(s->name, "t");
	scenario_free(s);
	diag_fini(&d);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/*
 * One byte more is refused from its size alone: the file is sparse (all
 * NULs), so had it been read the error would be "not text" instead. The
 * same from memory, with an untouched mapping that costs no memory.
 */
static void test_file_one_byte_past_the_size_limit_is_refused_unread(void **state)
{
	(void)state;
	char dir[512], path[600], want[800];
	make_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/big.yaml", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, SCENARIO_MAX_FILE_BYTES + 1), 0);
	assert_int_equal(close(fd), 0);

	struct diag d;
	struct scenario *s = NULL;
	diag_init(&d, path);
	assert_int_equal(scenario_load_file(path, &d, &s), -EINVAL);
	assert_null(s);
	char *got = printed(&d);
	snprintf(want, sizeof(want), "%s: error: the file is %ld bytes, more than the limit of %ld (64 MiB)\n",
	         path, SCENARIO_MAX_FILE_BYTES + 1, SCENARIO_MAX_FILE_BYTES);
	assert_string_equal(got, want);
	free(got);
	diag_fini(&d);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);

	size_t len = (size_t)SCENARIO_MAX_FILE_BYTES + 1;
	void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(m != MAP_FAILED);
	snprintf(want, sizeof(want), "t.yaml: error: the file is %zu bytes, more than the limit of %ld (64 MiB)\n",
	         len, SCENARIO_MAX_FILE_BYTES);
	tree_refused(m, len, want);
	assert_int_equal(munmap(m, len), 0);
}

/* ---- YAML nesting: 64 levels ------------------------------------------------------- */

static void test_nesting_of_exactly_the_limit_loads_one_more_is_refused(void **state)
{
	(void)state;
	char yaml[2 * SCENARIO_MAX_DEPTH + 8];
	char want[160];
	memset(yaml, '[', SCENARIO_MAX_DEPTH);
	memset(yaml + SCENARIO_MAX_DEPTH, ']', SCENARIO_MAX_DEPTH);
	tree_ok(yaml, 2 * SCENARIO_MAX_DEPTH);

	memset(yaml, '[', SCENARIO_MAX_DEPTH + 1);
	memset(yaml + SCENARIO_MAX_DEPTH + 1, ']', SCENARIO_MAX_DEPTH + 1);
	/* Refused at the bracket that opens level 65. */
	snprintf(want, sizeof(want),
	         "t.yaml:1:%d: error: the YAML is nested deeper than the limit of %d levels\n",
	         SCENARIO_MAX_DEPTH + 1, SCENARIO_MAX_DEPTH);
	tree_refused(yaml, 2 * (SCENARIO_MAX_DEPTH + 1), want);
}

/*
 * An alias counts as deep as what it copies: [&a <na levels>, <p levels
 * *a>] reaches 1 + p + na levels. At the limit it loads; one more is
 * refused at the alias.
 */
static void test_nesting_through_an_alias_has_the_same_limit(void **state)
{
	(void)state;
	const int na = SCENARIO_MAX_DEPTH / 2;
	for (int past = 0; past <= 1; past++) {
		int p = SCENARIO_MAX_DEPTH - 1 - na + past;
		struct gen g;
		gen_open(&g);
		gen_printf(&g, "[&a ");
		gen_repeat(&g, "[", na);
		gen_repeat(&g, "]", na);
		gen_printf(&g, ", ");
		gen_repeat(&g, "[", p);
		long col = gen_col(&g);
		gen_printf(&g, "*a");
		gen_repeat(&g, "]", p);
		gen_printf(&g, "]");
		gen_close(&g);
		tree_at_or_past(g.buf, g.len, past,
		                "t.yaml:1:%ld: error: the YAML is nested deeper than the limit "
		                "of %d levels\n", col, SCENARIO_MAX_DEPTH);
		free(g.buf);
	}
}

/* ---- YAML nodes: 4,000,000 in all, 1,000,000 through aliases --------------------- */

/* The anchored sequence the alias tests copy: 1 + ANCHOR_ITEMS nodes. */
#define ANCHOR_ITEMS 999L

/*
 * [&s 0, &a [0 x 999], *a x 1000, *s ...]: exactly SCENARIO_MAX_ALIAS_NODES
 * nodes copied (the *s fill any remainder), then one more *s.
 */
static void test_alias_copies_up_to_the_limit_load_one_more_is_refused(void **state)
{
	(void)state;
	const long a = ANCHOR_ITEMS + 1;
	for (int past = 0; past <= 1; past++) {
		struct gen g;
		gen_open(&g);
		gen_printf(&g, "[&s 0, &a [0");
		gen_repeat(&g, ",0", ANCHOR_ITEMS - 1);
		gen_printf(&g, "]");
		gen_repeat(&g, ",*a", SCENARIO_MAX_ALIAS_NODES / a);
		gen_repeat(&g, ",*s", SCENARIO_MAX_ALIAS_NODES % a);
		long col = gen_col(&g) + 1;
		if (past)
			gen_printf(&g, ",*s");
		gen_printf(&g, "]");
		gen_close(&g);
		tree_at_or_past(g.buf, g.len, past,
		                "t.yaml:1:%ld: error: aliases expand to more nodes than the limit "
		                "of %ld (an alias bomb?)\n", col, SCENARIO_MAX_ALIAS_NODES);
		free(g.buf);
	}
}

/*
 * [&a [0 x 999], *a x 1000, 0 x rest]: the root, the anchor, a million
 * copies and as many plain scalars as make exactly SCENARIO_MAX_NODES;
 * then one scalar more. About 6 MB of "0," either way: the three million
 * nodes the aliases cannot supply must be in the text.
 */
static void test_nodes_up_to_the_limit_load_one_more_is_refused(void **state)
{
	(void)state;
	const long a = ANCHOR_ITEMS + 1;
	const long copies = SCENARIO_MAX_ALIAS_NODES / a;
	const long rest = SCENARIO_MAX_NODES - 1 - a - copies * a;
	assert_true(rest > 0);
	for (int past = 0; past <= 1; past++) {
		struct gen g;
		gen_open(&g);
		gen_printf(&g, "[&a [0");
		gen_repeat(&g, ",0", ANCHOR_ITEMS - 1);
		gen_printf(&g, "]");
		gen_repeat(&g, ",*a", copies);
		gen_repeat(&g, ",0", rest - 1 + past);
		long col = gen_col(&g) + 1;
		gen_printf(&g, ",0]");
		gen_close(&g);
		tree_at_or_past(g.buf, g.len, past,
		                "t.yaml:1:%ld: error: the scenario has more YAML nodes than the "
		                "limit of %ld\n", col, SCENARIO_MAX_NODES);
		free(g.buf);
	}
}

/* ---- entities after every count ---------------------------------------------------- */

/*
 * Two cluster entries: a-%d (ca copies of ha hosts, va VMs) and b-%d (cb
 * copies of hb hosts, vb VMs). The totals are checked from the counts
 * before anything is expanded, so the millions cost nothing.
 */
static char *entities(long ca, long ha, long va, long cb, long hb, long vb, size_t *len)
{
	struct gen g;
	gen_open(&g);
	gen_printf(&g, "lpsim: 1\nname: t\npatch: {name: p}\nclusters:\n");
	gen_printf(&g,
	           "  - {name: a-%%d, count: %ld, hosts: [{name: h-%%d, count: %ld, cores: 8, "
	           "memory_gb: 64}], vms: [{name: v-%%d, count: %ld, vcpus: 1, memory_gb: 1}]}\n",
	           ca, ha, va);
	gen_printf(&g,
	           "  - {name: b-%%d, count: %ld, hosts: [{name: h-%%d, count: %ld, cores: 8, "
	           "memory_gb: 64}], vms: [{name: v-%%d, count: %ld, vcpus: 1, memory_gb: 1}]}\n",
	           cb, hb, vb);
	gen_close(&g);
	*len = g.len;
	return g.buf;
}

static void test_entity_totals_at_the_limits_load(void **state)
{
	(void)state;
	const long ca = SCENARIO_MAX_CLUSTERS - 1;
	const long ha = SCENARIO_MAX_HOSTS / SCENARIO_MAX_CLUSTERS;
	const long va = SCENARIO_MAX_VMS / SCENARIO_MAX_CLUSTERS;
	size_t len;
	char *yaml = entities(ca, ha, va, 1, SCENARIO_MAX_HOSTS - ca * ha,
	                      SCENARIO_MAX_VMS - ca * va, &len);
	struct scenario *s = scn_ok(yaml, len);
	assert_int_equal(s->total_clusters, SCENARIO_MAX_CLUSTERS);
	assert_int_equal(s->total_hosts, SCENARIO_MAX_HOSTS);
	assert_int_equal(s->total_vms, SCENARIO_MAX_VMS);
	scenario_free(s);
	free(yaml);
}

static void test_entity_totals_one_past_the_limits_are_refused(void **state)
{
	(void)state;
	const long ca = SCENARIO_MAX_CLUSTERS - 1;
	const long ha = SCENARIO_MAX_HOSTS / SCENARIO_MAX_CLUSTERS;
	const long va = SCENARIO_MAX_VMS / SCENARIO_MAX_CLUSTERS;
	const long hb = SCENARIO_MAX_HOSTS - ca * ha;
	const long vb = SCENARIO_MAX_VMS - ca * va;
	char want[200];
	size_t len;
	char *yaml;

	/* Every cluster has a host, so one cluster more is one host more too. */
	yaml = entities(ca, ha, va, 2, hb, vb / 2, &len);
	snprintf(want, sizeof(want),
	         "t.yaml:5:3: error: the scenario expands to %ld clusters, more than the limit "
	         "of %ld\n",
	         SCENARIO_MAX_CLUSTERS + 1, SCENARIO_MAX_CLUSTERS);
	scn_refused(yaml, len, want);
	free(yaml);

	yaml = entities(ca, ha, va, 1, hb + 1, vb, &len);
	snprintf(want, sizeof(want),
	         "t.yaml:5:3: error: the scenario expands to %ld hosts, more than the limit of "
	         "%ld\n",
	         SCENARIO_MAX_HOSTS + 1, SCENARIO_MAX_HOSTS);
	char *got = scn_errors(yaml, len);
	assert_string_equal(got, want);
	free(got);
	free(yaml);

	yaml = entities(ca, ha, va, 1, hb, vb + 1, &len);
	snprintf(want, sizeof(want),
	         "t.yaml:5:3: error: the scenario expands to %ld VMs, more than the limit of "
	         "%ld\n",
	         SCENARIO_MAX_VMS + 1, SCENARIO_MAX_VMS);
	got = scn_errors(yaml, len);
	assert_string_equal(got, want);
	free(got);
	free(yaml);
}

/* One cluster entry: COUNT copies of HOSTS hosts and VMS VMs. */
#define ONE_COUNT_FMT                                                                              \
	"lpsim: 1\nname: t\npatch: {name: p}\nclusters:\n"                                          \
	"  - {name: c-%%d, count: %ld, hosts: [{name: h-%%d, count: %ld, cores: 8, memory_gb: 64}], " \
	"vms: [{name: v-%%d, count: %ld, vcpus: 1, memory_gb: 1}]}\n"

/* "t.yaml:LINE:COL:" of the character p points to in buf. */
static void where(const char *buf, const char *p, char *out, size_t size)
{
	unsigned long line = 1, col = 1;
	for (const char *q = buf; q < p; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(out, size, "t.yaml:%lu:%lu:", line, col);
}

/* One entry's count alone: at its limit it loads, one more is refused at the count. */
static void test_one_count_at_the_limits_loads_one_more_is_refused(void **state)
{
	(void)state;
	const long limit[3] = {SCENARIO_MAX_CLUSTERS, SCENARIO_MAX_HOSTS, SCENARIO_MAX_VMS};
	for (int k = 0; k < 3; k++) {
		/* The others at their least, so that no total passes its limit first. */
		long v[3] = {1, 1, 0};
		v[k] = limit[k];
		struct gen g;
		gen_open(&g);
		gen_printf(&g, ONE_COUNT_FMT, v[0], v[1], v[2]);
		gen_close(&g);
		struct scenario *s = scn_ok(g.buf, g.len);
		assert_int_equal(k == 0 ? s->total_clusters : k == 1 ? s->total_hosts : s->total_vms,
		                 limit[k]);
		scenario_free(s);
		free(g.buf);

		v[k] = limit[k] + 1;
		gen_open(&g);
		gen_printf(&g, ONE_COUNT_FMT, v[0], v[1], v[2]);
		gen_close(&g);
		/* The k-th "count: " of the entry is the one past its limit. */
		const char *p = g.buf;
		for (int i = 0; i <= k; i++) {
			p = strstr(p, "count: ");
			assert_non_null(p);
			p += strlen("count: ");
		}
		char at[40], want[160];
		where(g.buf, p, at, sizeof(at));
		snprintf(want, sizeof(want), "%s error: 'count' must be <= %ld (got %ld)\n", at,
		         limit[k], limit[k] + 1);
		assert_errors(g.buf, g.len, want);
		free(g.buf);
	}
}

/* ---- replications ----------------------------------------------------------------------- */

static void test_replications_at_the_limit_load_one_more_is_refused(void **state)
{
	(void)state;
	struct scenario *s = base_ok("replications: %ld\n", SCENARIO_MAX_REPLICATIONS);
	assert_int_equal(s->replications, SCENARIO_MAX_REPLICATIONS);
	scenario_free(s);
	char want[160];
	snprintf(want, sizeof(want),
	         "t.yaml:%d:15: error: 'replications' must be <= %ld (got %ld)\n", BASE_LINES + 1,
	         SCENARIO_MAX_REPLICATIONS, SCENARIO_MAX_REPLICATIONS + 1);
	base_refused(want, "replications: %ld\n", SCENARIO_MAX_REPLICATIONS + 1);
}

/* ---- names: 255 bytes expanded, %d width <= 9 ------------------------------------------ */

/* 'x' * n */
static char *xs(size_t n)
{
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, 'x', n);
	s[n] = '\0';
	return s;
}

/* A scenario whose host (k = 0), VM (1) or cluster (2) name is pre%d for count. */
static void names_scenario(struct gen *g, int k, const char *pre, long count)
{
	gen_printf(g, "lpsim: 1\nname: t\npatch: {name: p}\nclusters:\n");
	if (k == 0)
		gen_printf(g,
		           "  - name: c\n"
		           "    hosts: [{name: %s%%d, count: %ld, cores: 8, memory_gb: 64}]\n"
		           "    vms: []\n",
		           pre, count);
	else if (k == 1)
		gen_printf(g,
		           "  - name: c\n"
		           "    hosts: [{name: h, cores: 8, memory_gb: 64}]\n"
		           "    vms: [{name: %s%%d, count: %ld, vcpus: 1, memory_gb: 1}]\n",
		           pre, count);
	else
		gen_printf(g,
		           "  - name: %s%%d\n"
		           "    count: %ld\n"
		           "    hosts: [{name: h, cores: 8, memory_gb: 64}]\n"
		           "    vms: []\n",
		           pre, count);
}

/*
 * Host, VM and cluster names: the length that counts is the expansion
 * for the largest number, so "x...x%d" with count 10 has 2 bytes more
 * than its prefix.
 */
static void test_names_expanded_to_the_limit_load_one_byte_more_is_refused(void **state)
{
	(void)state;
	const long count = 10; /* 2 digits */
	const size_t digits = 2;
	for (int past = 0; past <= 1; past++) {
		char *pre = xs(SCENARIO_MAX_NAME_LEN - digits + (size_t)past);
		const char *want[3] = {" error: host name '", " error: VM name '",
		                       " error: cluster name '"};
		for (int k = 0; k < 3; k++) {
			struct gen g;
			gen_open(&g);
			names_scenario(&g, k, pre, count);
			gen_close(&g);
			if (!past) {
				scenario_free(scn_ok(g.buf, g.len));
			} else {
				char *got = scn_errors(g.buf, g.len);
				char at[40], lim[80];
				where(g.buf, strstr(g.buf, pre), at, sizeof(at));
				assert_contains(got, at);
				snprintf(lim, sizeof(lim), "' is longer than the limit of %d bytes\n",
				         SCENARIO_MAX_NAME_LEN);
				assert_contains(got, want[k]);
				assert_contains(got, lim);
				free(got);
			}
			free(g.buf);
		}
		free(pre);
	}

	/* The expansion itself: a buffer of the limit + 1 holds the longest name. */
	char buf[SCENARIO_MAX_NAME_LEN + 1];
	char pat[SCENARIO_MAX_NAME_LEN + 2];
	memset(pat, 'x', SCENARIO_MAX_NAME_LEN - 1);
	strcpy(pat + SCENARIO_MAX_NAME_LEN - 1, "%d");
	assert_int_equal(scenario_name_expand(pat, 9, buf, sizeof(buf)), SCENARIO_MAX_NAME_LEN);
	assert_int_equal(scenario_name_expand(pat, 10, buf, sizeof(buf)), -ENOSPC);
}

/* The scenario's own name (the output directory) has the same limit. */
static void test_scenario_name_at_the_limit_loads_one_byte_more_is_refused(void **state)
{
	(void)state;
	for (int past = 0; past <= 1; past++) {
		char *name = xs(SCENARIO_MAX_NAME_LEN + (size_t)past);
		struct gen g;
		gen_open(&g);
		gen_printf(&g, "lpsim: 1\nname: %s\n%s", name, strchr(BASE, '\n') + 1 + strlen("name: t\n"));
		gen_close(&g);
		if (!past) {
			struct scenario *s = scn_ok(g.buf, g.len);
			assert_string_equal(s->name, name);
			scenario_free(s);
		} else {
			char want[80];
			snprintf(want, sizeof(want), "' is longer than the limit of %d bytes\n",
			         SCENARIO_MAX_NAME_LEN);
			char *got = scn_errors(g.buf, g.len);
			assert_contains(got, "t.yaml:2:7: error: scenario name '");
			assert_contains(got, want);
			free(got);
		}
		free(g.buf);
		free(name);
	}
}

#define WIDTH_FMT                                                                                  \
	"lpsim: 1\nname: t\npatch: {name: p}\nclusters:\n"                                          \
	"  - name: c\n"                                                                            \
	"    hosts: [{name: '%s', count: 2, cores: 8, memory_gb: 64}]\n"                         \
	"    vms: []\n"

static void test_name_width_at_the_limit_loads_one_more_is_refused(void **state)
{
	(void)state;
	char pat[32], want[200];
	snprintf(pat, sizeof(pat), "h%%0%dd", SCENARIO_MAX_NAME_WIDTH);
	struct gen g;
	gen_open(&g);
	gen_printf(&g, WIDTH_FMT, pat);
	gen_close(&g);
	struct scenario *s = scn_ok(g.buf, g.len);
	assert_string_equal(s->clusters[0].hosts[0].name, pat);
	scenario_free(s);
	free(g.buf);

	snprintf(pat, sizeof(pat), "h%%0%dd", SCENARIO_MAX_NAME_WIDTH + 1);
	gen_open(&g);
	gen_printf(&g, WIDTH_FMT, pat);
	gen_close(&g);
	snprintf(want, sizeof(want),
	         "t.yaml:6:20: error: bad name pattern '%s': the width of '%s' is more than the "
	         "limit of %d\n",
	         pat, pat + 1, SCENARIO_MAX_NAME_WIDTH);
	assert_errors(g.buf, g.len, want);
	free(g.buf);
}

/* ---- durations: 0 to 10^9 s ------------------------------------------------------------- */

static void test_durations_from_zero_to_the_limit_load_beyond_is_refused(void **state)
{
	(void)state;
	char text[64], why[128];
	double v = -1;
	assert_true(scenario_parse_duration("0", &v, why, sizeof(why)));
	assert_true(v == 0);
	snprintf(text, sizeof(text), "%.0f", SCENARIO_MAX_DURATION);
	assert_true(scenario_parse_duration(text, &v, why, sizeof(why)));
	assert_true(v == SCENARIO_MAX_DURATION);
	snprintf(text, sizeof(text), "%.0fs", SCENARIO_MAX_DURATION);
	assert_true(scenario_parse_duration(text, &v, why, sizeof(why)));
	assert_true(v == SCENARIO_MAX_DURATION);

	/* The next double up, and the next whole second. */
	snprintf(text, sizeof(text), "%.17g", nextafter(SCENARIO_MAX_DURATION, INFINITY));
	assert_false(scenario_parse_duration(text, &v, why, sizeof(why)));
	char limit[64];
	snprintf(limit, sizeof(limit), "longer than the limit of %.0f s", SCENARIO_MAX_DURATION);
	assert_string_equal(why, limit);
	snprintf(text, sizeof(text), "%.0fs", SCENARIO_MAX_DURATION + 1);
	assert_false(scenario_parse_duration(text, &v, why, sizeof(why)));
	assert_contains(why, "longer than the limit of");
	/* Below zero. */
	snprintf(text, sizeof(text), "%.17g", -nextafter(0, 1));
	assert_false(scenario_parse_duration(text, &v, why, sizeof(why)));
	assert_string_equal(why, "negative");

	/* In a scenario: horizon at the limit, a latency of 0, then each one past. */
	struct scenario *s = base_ok("horizon: %.0f\nhardware: {rollback: 0}\n", SCENARIO_MAX_DURATION);
	assert_true(s->horizon == SCENARIO_MAX_DURATION);
	scenario_free(s);
	char want[200];
	snprintf(want, sizeof(want),
	         "t.yaml:%d:10: error: 'horizon' must be a duration such as 30s, 5m or 2h (got "
	         "%.0f: longer than the limit of %.0f s)\n",
	         BASE_LINES + 1, SCENARIO_MAX_DURATION + 1, SCENARIO_MAX_DURATION);
	base_refused(want, "horizon: %.0f\n", SCENARIO_MAX_DURATION + 1);
	snprintf(want, sizeof(want), "t.yaml:%d:22: error: 'rollback' must not be negative",
	         BASE_LINES + 1);
	base_refused(want, "hardware: {rollback: -1e-300}\n");
}

/* ---- empirical samples: 1,000,000 per distribution ----------------------------------- */

static void test_empirical_samples_at_the_limit_load_one_more_is_refused(void **state)
{
	(void)state;
	for (int past = 0; past <= 1; past++) {
		struct gen g;
		gen_open(&g);
		gen_printf(&g, "%shardware:\n  rollback: {dist: empirical, samples: [1", BASE);
		gen_repeat(&g, ",1", SCENARIO_MAX_SAMPLES - 1 + past);
		gen_printf(&g, "]}\n");
		gen_close(&g);
		if (!past) {
			struct scenario *s = scn_ok(g.buf, g.len);
			assert_int_equal(s->hardware.rollback.kind, DIST_EMPIRICAL);
			scenario_free(s);
		} else {
			char want[160];
			snprintf(want, sizeof(want),
			         "t.yaml:%d:40: error: 'samples' has %ld values, more than the limit "
			         "of %ld\n",
			         BASE_LINES + 2, SCENARIO_MAX_SAMPLES + 1, SCENARIO_MAX_SAMPLES);
			assert_errors(g.buf, g.len, want);
		}
		free(g.buf);
	}
}

/* ---- sweeps: 16 axes, 100,000 points ---------------------------------------------------- */

/* Scalars a sweep may set, each taking the values "1".."N" (N <= 10 here). */
static const char *const sweep_paths[] = {
    "seed",
    "replications",
    "horizon",
    "hardware.rollback",
    "hardware.post",
    "hardware.boot",
    "hardware.install",
    "hardware.enter_mm",
    "hardware.exit_mm",
    "hardware.quick_boot",
    "hardware.vm_shutdown",
    "hardware.vm_boot",
    "hardware.enter_partial_mm",
    "hardware.exit_partial_mm",
    "hardware.mount_revision",
    "hardware.patch_revision",
    "hardware.ha_restart",
};

static void sweep_axis(struct gen *g, const char *path, long nvalues)
{
	gen_printf(g, "  - {path: %s, values: [1", path);
	for (long v = 2; v <= nvalues; v++)
		gen_printf(g, ",%ld", v);
	gen_printf(g, "]}\n");
}

static void test_sweep_axes_at_the_limit_load_one_more_is_refused(void **state)
{
	(void)state;
	assert_true(sizeof(sweep_paths) / sizeof(sweep_paths[0]) >= SCENARIO_MAX_SWEEP_AXES);
	for (int past = 0; past <= 1; past++) {
		struct gen g;
		gen_open(&g);
		gen_printf(&g, "%ssweep:\n", BASE);
		for (int a = 0; a < SCENARIO_MAX_SWEEP_AXES + past; a++)
			sweep_axis(&g, a < SCENARIO_MAX_SWEEP_AXES ? sweep_paths[a] : "seed", 1);
		gen_close(&g);
		if (!past) {
			struct scenario *s = scn_ok(g.buf, g.len);
			assert_int_equal(s->naxes, SCENARIO_MAX_SWEEP_AXES);
			scenario_free(s);
		} else {
			char want[160];
			snprintf(want, sizeof(want),
			         "t.yaml:%d:3: error: 'sweep' has %d axes, more than the limit of %d\n",
			         BASE_LINES + 2, SCENARIO_MAX_SWEEP_AXES + 1, SCENARIO_MAX_SWEEP_AXES);
			assert_errors(g.buf, g.len, want);
		}
		free(g.buf);
	}
}

/*
 * At the limit: axes of 10 values until the product is the limit (10^5:
 * only 50 values to check). One past: 100001 = 11 x 9091, refused from
 * the counts before any value is tried.
 */
static void test_sweep_points_at_the_limit_load_one_more_is_refused(void **state)
{
	(void)state;
	struct gen g;
	gen_open(&g);
	gen_printf(&g, "%ssweep:\n", BASE);
	long points = 1;
	int a = 0;
	while (points < SCENARIO_MAX_SWEEP_POINTS) {
		assert_true(SCENARIO_MAX_SWEEP_POINTS % (points * 10) == 0);
		sweep_axis(&g, sweep_paths[a++], 10);
		points *= 10;
	}
	gen_close(&g);
	struct scenario *s = scn_ok(g.buf, g.len);
	points = 1;
	for (size_t i = 0; i < s->naxes; i++)
		points *= (long)s->sweep[i].nvalues;
	assert_int_equal(points, SCENARIO_MAX_SWEEP_POINTS);
	scenario_free(s);
	free(g.buf);

	long n1 = 11, n2 = (SCENARIO_MAX_SWEEP_POINTS + 1) / 11;
	assert_int_equal(n1 * n2, SCENARIO_MAX_SWEEP_POINTS + 1);
	gen_open(&g);
	gen_printf(&g, "%ssweep:\n", BASE);
	sweep_axis(&g, "seed", n1);
	sweep_axis(&g, "replications", n2);
	gen_close(&g);
	char want[160];
	snprintf(want, sizeof(want),
	         "t.yaml:%d:3: error: the sweep has %ld points, more than the limit of %ld\n",
	         BASE_LINES + 2, SCENARIO_MAX_SWEEP_POINTS + 1, SCENARIO_MAX_SWEEP_POINTS);
	assert_errors(g.buf, g.len, want);
	free(g.buf);
}

/* ---- errors per file: 50, then "too many errors" ------------------------------------- */

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_errors_up_to_the_limit_are_all_shown_then_too_many(void **state)
{
	(void)state;
	for (int past = 0; past <= 1; past++) {
		struct gen g;
		gen_open(&g);
		gen_printf(&g, "%s", BASE);
		/* One error each: an unknown top-level key. */
		for (int i = 0; i < DIAG_MAX_ERRORS + past; i++)
			gen_printf(&g, "zzz%d: 1\n", i);
		gen_close(&g);
		struct diag d;
		struct scenario *s = NULL;
		diag_init(&d, "t.yaml");
		assert_int_equal(scenario_load_buffer(g.buf, g.len, "t.yaml", &d, &s), -EINVAL);
		assert_int_equal(d.n, DIAG_MAX_ERRORS);
		assert_int_equal(d.dropped, (size_t)past);
		char *got = printed(&d);
		char too_many[120];
		snprintf(too_many, sizeof(too_many),
		         "t.yaml: error: too many errors; only the first %d are shown\n",
		         DIAG_MAX_ERRORS);
		assert_int_equal(count_lines(got), (size_t)DIAG_MAX_ERRORS + (size_t)past);
		char last[80];
		snprintf(last, sizeof(last), "t.yaml:%d:1: error: unknown key 'zzz%d'",
		         BASE_LINES + DIAG_MAX_ERRORS, DIAG_MAX_ERRORS - 1);
		assert_contains(got, last);
		if (past) {
			size_t n = strlen(got), m = strlen(too_many);
			assert_true(n >= m && !strcmp(got + n - m, too_many));
		} else {
			assert_null(strstr(got, "too many errors"));
		}
		free(got);
		diag_fini(&d);
		free(g.buf);
	}
}

/* ---- events pending in one replication: SIM_MAX_PENDING (2^24 - 1) ---------------------- */

static void count_event(struct sim *s, const struct sim_event *ev, void *ctx)
{
	(void)ev;
	long *n = ctx;
	if (++*n == 1)
		sim_stop(s);
}

/*
 * Under ASan every realloc of a pool doubling to 256 MB is a copy into
 * fresh shadowed memory and the old block sits in quarantine: growing
 * from 16 slots takes ~10 s and 1.7 GB there, against ~0.4 s plain. So
 * the sanitizer build makes the pool full size at once (same limit, same
 * checks, < 1 s), and the plain build grows it the way models do, through
 * the doubling that must stop exactly at the limit.
 */
#if defined(__SANITIZE_ADDRESS__)
#define POOL_HINT ((size_t)SIM_MAX_PENDING)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_HINT ((size_t)SIM_MAX_PENDING)
#endif
#endif
#ifndef POOL_HINT
#define POOL_HINT ((size_t)16)
#endif

/*
 * Fills the pool, refuses one more with SIM_NONE, then fires one and
 * schedules again in the freed slot: the limit leaves the sim usable.
 */
static void test_pending_events_up_to_the_pool_limit_then_refused(void **state)
{
	(void)state;
	long fired = 0;
	struct sim *s = sim_new(1, POOL_HINT);
	assert_non_null(s);
	assert_int_equal(sim_on(s, 0, count_event, &fired), 0);
	for (long i = 0; i < SIM_MAX_PENDING; i++)
		if (sim_schedule(s, 1, 0, 0, 0) == SIM_NONE)
			fail_msg("event %ld of %ld refused", i + 1, SIM_MAX_PENDING);
	assert_int_equal(sim_pending(s), SIM_MAX_PENDING);
	assert_true(sim_schedule(s, 1, 0, 0, 0) == SIM_NONE);
	assert_true(sim_schedule_at(s, 5, 0, 0, 0) == SIM_NONE);
	assert_int_equal(sim_pending(s), SIM_MAX_PENDING);

	assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_STOPPED);
	assert_int_equal(fired, 1);
	assert_int_equal(sim_pending(s), SIM_MAX_PENDING - 1);
	sim_event_id id = sim_schedule(s, 0, 0, 7, 7);
	assert_true(id != SIM_NONE);
	assert_int_equal(sim_pending(s), SIM_MAX_PENDING);
	assert_true(sim_schedule(s, 0, 0, 0, 0) == SIM_NONE);
	assert_true(sim_cancel(s, id));
	sim_free(s);
}

/* ---- CSV import: 1 GiB --------------------------------------------------------------- */

static const struct icsv_column csv_cols[] = {{"VM", true}};

/*
 * One past: refused from its length before a byte is read (an untouched
 * mapping, no memory). At the limit: the same gigabyte of NULs passes the
 * size check and is refused for what it holds ("not text"), which shows
 * the size was accepted. Decoding reads and copies the whole gigabyte
 * (~1 s, ~1 GB for a moment); a gigabyte of real CSV would take far more.
 */
static void test_csv_at_the_size_limit_is_read_one_byte_more_is_refused(void **state)
{
	(void)state;
	size_t len = (size_t)ICSV_MAX_BYTES + 1;
	void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(m != MAP_FAILED);
	/* Where the kernel allows it, reading maps one huge zero page per 2 MiB
	 * instead of faulting 4 KiB at a time; only a hint (and it may fail). */
	(void)madvise(m, len, MADV_HUGEPAGE);

	struct ilog log;
	struct icsv_table *t = NULL;
	char want[200];
	char *got;
	size_t glen;
	FILE *f;

	ilog_init(&log);
	assert_int_equal(icsv_read(m, len, "vinfo.csv", "an export", csv_cols, 1, &log, &t),
	                 -EINVAL);
	assert_null(t);
	f = open_memstream(&got, &glen);
	assert_non_null(f);
	ilog_print_errors(&log, f);
	assert_int_equal(fclose(f), 0);
	snprintf(want, sizeof(want),
	         "vinfo.csv: error: the file is %zu bytes, more than the limit of %ld\n", len,
	         ICSV_MAX_BYTES);
	assert_string_equal(got, want);
	free(got);
	ilog_fini(&log);

	ilog_init(&log);
	assert_int_equal(
	    icsv_read(m, len - 1, "vinfo.csv", "an export", csv_cols, 1, &log, &t), -EINVAL);
	assert_null(t);
	f = open_memstream(&got, &glen);
	assert_non_null(f);
	ilog_print_errors(&log, f);
	assert_int_equal(fclose(f), 0);
	assert_contains(got, "vinfo.csv:1: error: the file is not text: it holds a NUL character");
	assert_null(strstr(got, "limit"));
	free(got);
	ilog_fini(&log);
	assert_int_equal(munmap(m, len), 0);
}

/* run and sweep: the per-VM results fit when they need at most 75% of the
 * machine's memory; one byte more is refused (and an unknown memory size
 * refuses nothing). */
static void test_results_memory_at_the_share_fits_one_byte_more_is_refused(void **state)
{
	(void)state;
	const double have = 16.0 * 1024 * 1024 * 1024;
	const double limit = CLI_RESULTS_SHARE * have;
	assert_true(cli_results_fit(limit, have));
	assert_false(cli_results_fit(limit + 1, have));
	assert_true(cli_results_fit(1e30, 0));
	/* What is counted: a double per VM and 4 KiB per replication and strategy, per run at once. */
	assert_true(cli_results_bytes(1, 10, 2, 384) == 10.0 * 2 * (384 * 8 + 4096));
	assert_true(cli_results_bytes(3, 10, 2, 384) == 3 * cli_results_bytes(1, 10, 2, 384));
	/* On a 24 GiB machine: a million replications of both strategies over
	 * 1000 VMs (24 GB) are refused, a hundred thousand (2.4 GB) run. */
	assert_false(cli_results_fit(cli_results_bytes(1, 1000000, 2, 1000),
				     24.0 * 1024 * 1024 * 1024));
	assert_true(cli_results_fit(cli_results_bytes(1, 100000, 2, 1000), 24.0 * 1024 * 1024 * 1024));
	assert_true(cli_memory_bytes() > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_file_of_exactly_the_size_limit_loads),
	    cmocka_unit_test(test_file_one_byte_past_the_size_limit_is_refused_unread),
	    cmocka_unit_test(test_nesting_of_exactly_the_limit_loads_one_more_is_refused),
	    cmocka_unit_test(test_nesting_through_an_alias_has_the_same_limit),
	    cmocka_unit_test(test_alias_copies_up_to_the_limit_load_one_more_is_refused),
	    cmocka_unit_test(test_nodes_up_to_the_limit_load_one_more_is_refused),
	    cmocka_unit_test(test_entity_totals_at_the_limits_load),
	    cmocka_unit_test(test_entity_totals_one_past_the_limits_are_refused),
	    cmocka_unit_test(test_one_count_at_the_limits_loads_one_more_is_refused),
	    cmocka_unit_test(test_replications_at_the_limit_load_one_more_is_refused),
	    cmocka_unit_test(test_names_expanded_to_the_limit_load_one_byte_more_is_refused),
	    cmocka_unit_test(test_scenario_name_at_the_limit_loads_one_byte_more_is_refused),
	    cmocka_unit_test(test_name_width_at_the_limit_loads_one_more_is_refused),
	    cmocka_unit_test(test_durations_from_zero_to_the_limit_load_beyond_is_refused),
	    cmocka_unit_test(test_empirical_samples_at_the_limit_load_one_more_is_refused),
	    cmocka_unit_test(test_sweep_axes_at_the_limit_load_one_more_is_refused),
	    cmocka_unit_test(test_sweep_points_at_the_limit_load_one_more_is_refused),
	    cmocka_unit_test(test_errors_up_to_the_limit_are_all_shown_then_too_many),
	    cmocka_unit_test(test_pending_events_up_to_the_pool_limit_then_refused),
	    cmocka_unit_test(test_csv_at_the_size_limit_is_read_one_byte_more_is_refused),
	    cmocka_unit_test(test_results_memory_at_the_share_fits_one_byte_more_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
