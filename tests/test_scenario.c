/*
 * test_scenario: the scalar grammars of the scenario format (durations,
 * versions, name patterns), the error list (diag) and the YAML tree
 * (ynode: limits, aliases, merge keys, setting by path).
 * Loading whole scenarios is in test_scenario_load.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenarios/diag.h"
#include "scenarios/scenario.h"
#include "scenarios/ynode.h"

/* ---- durations ------------------------------------------------------------ */

static double dur(const char *s)
{
	double v = -1;
	char why[128];
	if (!scenario_parse_duration(s, &v, why, sizeof(why)))
		fail_msg("'%s' rejected: %s", s, why);
	return v;
}

static const char *dur_why(const char *s)
{
	static char why[128];
	double v = -1;
	if (scenario_parse_duration(s, &v, why, sizeof(why)))
		fail_msg("'%s' accepted as %g", s, v);
	return why;
}

static void test_duration_accepts_every_unit(void **state)
{
	(void)state;
	assert_true(dur("250ms") == 0.25);
	assert_true(dur("30s") == 30);
	assert_true(dur("5m") == 300);
	assert_true(dur("2h") == 7200);
	assert_true(dur("1d") == 86400);
	assert_true(dur("0s") == 0);
	assert_true(dur("0") == 0);
}

static void test_duration_plain_numbers_are_seconds(void **state)
{
	(void)state;
	assert_true(dur("90") == 90);
	assert_true(dur("1.5") == 1.5);
	assert_true(dur("1e3") == 1000);
	assert_true(dur(".5") == 0.5);
}

static void test_duration_accepts_fractions_and_compounds(void **state)
{
	(void)state;
	assert_true(dur("1.5h") == 5400);
	assert_true(dur("1h30m") == 5400);
	assert_true(dur("1d2h3m4s5ms") == 86400 + 7200 + 180 + 4 + 0.005);
	assert_true(dur("2m30.5s") == 150.5);
}

static void test_duration_rejects_negatives_and_bad_units(void **state)
{
	(void)state;
	assert_string_equal(dur_why("-5m"), "negative");
	assert_string_equal(dur_why("-1"), "negative");
	assert_string_equal(dur_why("5x"), "unknown unit 'x'; use ms, s, m, h or d");
	assert_string_equal(dur_why("5 m"), "unknown unit ' m'; use ms, s, m, h or d");
	assert_string_equal(dur_why("5min"), "unknown unit 'min'; use ms, s, m, h or d");
	assert_string_equal(dur_why("30m1h"),
	                    "units must go from the largest to the smallest, each once");
	assert_string_equal(dur_why("1m1m"),
	                    "units must go from the largest to the smallest, each once");
	assert_string_equal(dur_why("1.5h30m"), "only the last part may have a fraction");
	assert_string_equal(dur_why("1h30"), "missing unit; use ms, s, m, h or d");
	assert_string_equal(dur_why(""), "empty");
	assert_string_equal(dur_why("m"), "expected a number");
	assert_string_equal(dur_why("1..2s"), "expected a number");
}

static void test_duration_rejects_nan_inf_and_overflow(void **state)
{
	(void)state;
	assert_string_equal(dur_why("nan"), "expected a number");
	assert_string_equal(dur_why("inf"), "expected a number");
	assert_string_equal(dur_why(".inf"), "expected a number");
	assert_string_equal(dur_why("1e999"), "longer than the limit of 1000000000 s");
	assert_string_equal(dur_why("100000d"), "longer than the limit of 1000000000 s");
	assert_string_equal(dur_why("0x10"), "unknown unit 'x'; use ms, s, m, h or d");
	assert_true(dur("1000000000") == 1e9);
}

/* ---- versions ---------------------------------------------------------------- */

static void test_version_parses_dotted_and_update_forms(void **state)
{
	(void)state;
	uint32_t v;
	assert_true(scenario_parse_version("8.0.3", &v));
	assert_int_equal(v, SCENARIO_VERSION(8, 0, 3));
	assert_true(scenario_parse_version("9.1", &v));
	assert_int_equal(v, SCENARIO_VERSION(9, 1, 0));
	assert_true(scenario_parse_version("8", &v));
	assert_int_equal(v, SCENARIO_VERSION(8, 0, 0));
	assert_true(scenario_parse_version("8.0U3", &v));
	assert_int_equal(v, SCENARIO_VERSION(8, 0, 3));
	assert_true(scenario_parse_version("8.0 u3", &v));
	assert_int_equal(v, SCENARIO_VERSION(8, 0, 3));
	assert_true(scenario_parse_version("9.10", &v));
	assert_true(v > SCENARIO_VERSION(9, 1, 0));
	char buf[32];
	assert_string_equal(scenario_version_format(SCENARIO_VERSION(8, 0, 3), buf, sizeof(buf)),
	                    "8.0.3");
}

static void test_version_compares_numerically(void **state)
{
	(void)state;
	uint32_t a, b, c;
	assert_true(scenario_parse_version("8.0.3", &a));
	assert_true(scenario_parse_version("9.1", &b));
	assert_true(scenario_parse_version("8.0.10", &c));
	assert_true(a < b);
	assert_true(a < c);
	assert_true(c < b);
}

static void test_version_rejects_garbage(void **state)
{
	(void)state;
	uint32_t v;
	assert_false(scenario_parse_version("", &v));
	assert_false(scenario_parse_version("x", &v));
	assert_false(scenario_parse_version("8.0.3.1", &v));
	assert_false(scenario_parse_version("8.", &v));
	assert_false(scenario_parse_version("1000", &v));
	assert_false(scenario_parse_version("8.0U", &v));
	assert_false(scenario_parse_version("-8", &v));
}

/* ---- name patterns -------------------------------------------------------------- */

static const char *expand(const char *pattern, long i)
{
	static char buf[300];
	int n = scenario_name_expand(pattern, i, buf, sizeof(buf));
	if (n < 0)
		fail_msg("'%s' rejected (%d)", pattern, n);
	assert_int_equal((size_t)n, strlen(buf));
	return buf;
}

static void test_name_expand_formats_one_integer(void **state)
{
	(void)state;
	assert_string_equal(expand("esx-%02d", 7), "esx-07");
	assert_string_equal(expand("web-%03d", 12), "web-012");
	assert_string_equal(expand("web-%03d", 1234), "web-1234");
	assert_string_equal(expand("h%d", 42), "h42");
	assert_string_equal(expand("h%i.lab", 3), "h3.lab");
	assert_string_equal(expand("h%u", 3), "h3");
	assert_string_equal(expand("[%2d]", 5), "[ 5]");
	assert_string_equal(expand("<%-3d>", 5), "<5  >");
	assert_string_equal(expand("<%-03d>", 5), "<5  >");
	assert_string_equal(expand("n%d", -5), "n-5");
	assert_string_equal(expand("n%03d", -5), "n-05");
	assert_string_equal(expand("%09d", 1), "000000001");
}

static void test_name_expand_percent_percent_is_literal(void **state)
{
	(void)state;
	assert_string_equal(expand("100%%-%d", 2), "100%-2");
	assert_string_equal(expand("plain", 9), "plain");
	assert_string_equal(expand("50%%", 1), "50%");
	assert_string_equal(expand("%%d", 1), "%d");
}

static void test_name_expand_rejects_other_conversions(void **state)
{
	(void)state;
	char buf[64];
	const char *bad[] = {"web-%s", "a%n",   "%d-%d", "%10d", "a%",  "%ld", "%.2d",
	                     "%x",     "%5.2f", "%*d",   "%+d",  "% d", "%%%"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (scenario_name_expand(bad[i], 1, buf, sizeof(buf)) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
		assert_false(scenario_name_pattern_ok(bad[i], NULL, NULL, 0));
	}
}

static void test_name_pattern_explains_what_is_wrong(void **state)
{
	(void)state;
	char why[160];
	bool conv;
	assert_false(scenario_name_pattern_ok("web-%s", &conv, why, sizeof(why)));
	assert_string_equal(
	    why, "'%s' is not an integer conversion (use %d, %03d, ...; %% for a percent sign)");
	assert_false(scenario_name_pattern_ok("a-%d-%d", &conv, why, sizeof(why)));
	assert_string_equal(why, "more than one conversion (a name takes one number)");
	assert_false(scenario_name_pattern_ok("a-%012d", &conv, why, sizeof(why)));
	assert_string_equal(why, "the width of '%012d' is more than the limit of 9");
	assert_false(scenario_name_pattern_ok("a-%", &conv, why, sizeof(why)));
	assert_string_equal(why, "'%' at the end (write %% for a percent sign)");
	assert_true(scenario_name_pattern_ok("a-%%", &conv, why, sizeof(why)));
	assert_false(conv);
	assert_true(scenario_name_pattern_ok("a-%05d", &conv, why, sizeof(why)));
	assert_true(conv);
}

static void test_name_expand_reports_a_small_buffer(void **state)
{
	(void)state;
	char buf[7];
	assert_int_equal(scenario_name_expand("esx-%02d", 7, buf, 6), -ENOSPC);
	assert_int_equal(scenario_name_expand("esx-%02d", 7, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "esx-07");
	assert_int_equal(scenario_name_expand("abcdefg", 7, buf, sizeof(buf)), -ENOSPC);
	assert_int_equal(scenario_name_expand("abcdef", 7, buf, sizeof(buf)), 6);
}

static void test_name_match_inverts_expand(void **state)
{
	(void)state;
	long i = 0;
	assert_true(scenario_name_match("esx-%02d", 16, "esx-07", &i));
	assert_int_equal(i, 7);
	assert_true(scenario_name_match("esx-%02d", 200, "esx-123", &i));
	assert_int_equal(i, 123);
	assert_false(scenario_name_match("esx-%02d", 16, "esx-7", &i));
	assert_false(scenario_name_match("esx-%02d", 16, "esx-17", &i));
	assert_false(scenario_name_match("esx-%02d", 16, "esx-00", &i));
	assert_false(scenario_name_match("esx-%02d", 16, "esy-07", &i));
	assert_true(scenario_name_match("[%3d]", 16, "[  9]", &i));
	assert_int_equal(i, 9);
	assert_true(scenario_name_match("sql", 1, "sql", &i));
	assert_int_equal(i, 1);
	assert_false(scenario_name_match("sql", 0, "sql", &i));
	assert_true(scenario_name_match("a%%-%d", 3, "a%-3", &i));
	assert_int_equal(i, 3);
}

/* ---- diag --------------------------------------------------------------------------- */

static char *print_diag(struct diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	diag_print(d, f);
	fclose(f);
	return buf;
}

static void test_diag_prints_sorted_by_position(void **state)
{
	(void)state;
	struct diag d;
	diag_init(&d, "x.yaml");
	assert_false(diag_failed(&d));
	diag_error(&d, (struct diag_pos){12, 7}, "'memory_gb' must be > 0 (got %d)", -3);
	diag_error(&d, (struct diag_pos){3, 1}, "first");
	diag_error(&d, (struct diag_pos){12, 2}, "second");
	diag_error(&d, (struct diag_pos){0, 0}, "whole file");
	assert_true(diag_failed(&d));
	char *out = print_diag(&d);
	assert_string_equal(out, "x.yaml: error: whole file\n"
	                         "x.yaml:3:1: error: first\n"
	                         "x.yaml:12:2: error: second\n"
	                         "x.yaml:12:7: error: 'memory_gb' must be > 0 (got -3)\n");
	free(out);
	diag_fini(&d);
}

static void test_diag_keeps_one_copy_of_a_repeated_error(void **state)
{
	(void)state;
	struct diag d;
	diag_init(&d, "x.yaml");
	diag_error(&d, (struct diag_pos){1, 1}, "same");
	diag_error(&d, (struct diag_pos){1, 1}, "same");
	diag_error(&d, (struct diag_pos){1, 2}, "same");
	assert_int_equal(d.n, 2);
	diag_fini(&d);
}

static void test_diag_caps_errors_and_says_so(void **state)
{
	(void)state;
	struct diag d;
	diag_init(&d, "x.yaml");
	for (int i = 0; i < DIAG_MAX_ERRORS + 10; i++)
		diag_error(&d, (struct diag_pos){(uint32_t)i + 1, 1}, "e%d", i);
	assert_int_equal(d.n, DIAG_MAX_ERRORS);
	assert_int_equal(d.dropped, 10);
	assert_true(diag_full(&d));
	char *out = print_diag(&d);
	assert_non_null(strstr(out,
	                       "x.yaml:50:1: error: e49\n"
	                       "x.yaml: error: too many errors; only the first 50 are shown\n"));
	assert_null(strstr(out, "e50"));
	free(out);
	diag_fini(&d);
}

static void test_diag_snippet_escapes_and_cuts(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(diag_snippet(buf, sizeof(buf),
	                                 "a\x01"
	                                 "b",
	                                 3),
	                    "a\\x01b");
	assert_string_equal(diag_snippet(buf, sizeof(buf), "\xc3\xa9t\xe9", 4), "\xc3\xa9t\\xe9");
	char longs[200];
	memset(longs, 'x', sizeof(longs));
	diag_snippet(buf, sizeof(buf), longs, sizeof(longs));
	assert_int_equal(strlen(buf), 63);
	assert_string_equal(buf + 60, "...");
	char small[8];
	diag_snippet(small, sizeof(small), longs, 10);
	assert_string_equal(small, "xxxx...");
}

/* ---- the YAML tree ---------------------------------------------------------------------- */

static struct ytree *tree(const char *yaml, struct diag *d, int *rc)
{
	struct ytree *t = NULL;
	diag_init(d, "t.yaml");
	*rc = ytree_load_buffer(yaml, strlen(yaml), "t.yaml", d, &t);
	return t;
}

static void test_tree_keeps_positions(void **state)
{
	(void)state;
	struct diag d;
	int rc;
	struct ytree *t = tree("a: 1\nb:\n  - x\n  - {c: \"q\"}\n", &d, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(t);
	const struct ynode *b = ynode_get(t->root, "b");
	assert_non_null(b);
	assert_int_equal(b->kind, YNODE_SEQUENCE);
	assert_int_equal(b->len, 2);
	assert_int_equal(b->items[0]->line, 3);
	assert_int_equal(b->items[0]->col, 5);
	const struct ynode *c = ynode_get(b->items[1], "c");
	assert_int_equal(c->line, 4);
	assert_int_equal(c->col, 9);
	assert_true(c->quoted);
	assert_false(ynode_get(t->root, "a")->quoted);
	assert_string_equal(t->file, "t.yaml");
	ytree_free(t);
	diag_fini(&d);
}

static void test_tree_expands_aliases_by_copying(void **state)
{
	(void)state;
	struct diag d;
	int rc;
	struct ytree *t = tree("a: &x {k: 1}\nb: *x\n", &d, &rc);
	assert_int_equal(rc, 0);
	const struct ynode *a = ynode_get(t->root, "a");
	const struct ynode *b = ynode_get(t->root, "b");
	assert_ptr_not_equal(a, b);
	assert_string_equal(ynode_get(b, "k")->str, "1");
	ytree_free(t);
	diag_fini(&d);
}

static void test_tree_resolves_merge_keys_explicit_keys_win(void **state)
{
	(void)state;
	struct diag d;
	int rc;
	struct ytree *t = tree("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n", &d, &rc);
	assert_int_equal(rc, 0);
	const struct ynode *m = ynode_get(t->root, "m");
	assert_int_equal(m->len, 2);
	assert_string_equal(ynode_get(m, "x")->str, "1");
	assert_string_equal(ynode_get(m, "y")->str, "3");
	assert_null(ynode_get(m, "<<"));
	ytree_free(t);
	diag_fini(&d);
}

/* Found by fuzz_scenario: "<<: []" freed a buffer twice. */
static void test_tree_merge_of_an_empty_list_merges_nothing(void **state)
{
	(void)state;
	struct diag d;
	int rc;
	struct ytree *t = tree("m: {<<: [], a: 1}\nn: {<<: []}\n", &d, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(ynode_get(t->root, "m")->len, 1);
	assert_int_equal(ynode_get(t->root, "n")->len, 0);
	ytree_free(t);
	diag_fini(&d);
}

static void test_tree_reports_duplicate_keys_and_keeps_the_first(void **state)
{
	(void)state;
	struct diag d;
	int rc;
	struct ytree *t = tree("a: 1\nb: 2\na: 3\n", &d, &rc);
	assert_int_equal(rc, -EINVAL);
	assert_non_null(t);
	assert_string_equal(ynode_get(t->root, "a")->str, "1");
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].pos.line, 3);
	assert_string_equal(d.v[0].msg, "duplicate key 'a' (first at 1:1)");
	ytree_free(t);
	diag_fini(&d);
}

static void test_tree_refuses_an_alias_bomb(void **state)
{
	(void)state;
	char yaml[4096] = "a: &a [x,x,x,x,x,x,x,x,x,x]\n";
	char prev[16] = "a";
	for (int i = 0; i < 9; i++) {
		char line[256];
		snprintf(line, sizeof(line),
		         "b%d: &b%d [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", i, i, prev, prev,
		         prev, prev, prev, prev, prev, prev, prev, prev);
		strcat(yaml, line);
		snprintf(prev, sizeof(prev), "b%d", i);
	}
	struct diag d;
	int rc;
	struct ytree *t = tree(yaml, &d, &rc);
	assert_int_equal(rc, -EINVAL);
	assert_null(t);
	assert_int_equal(d.n, 1);
	assert_string_equal(
	    d.v[0].msg, "aliases expand to more nodes than the limit of 1000000 (an alias bomb?)");
	diag_fini(&d);
}

static void test_tree_refuses_deep_nesting(void **state)
{
	(void)state;
	char yaml[512];
	memset(yaml, '[', 200);
	memset(yaml + 200, ']', 200);
	yaml[400] = '\0';
	struct diag d;
	int rc;
	struct ytree *t = tree(yaml, &d, &rc);
	assert_int_equal(rc, -EINVAL);
	assert_null(t);
	assert_string_equal(d.v[0].msg, "the YAML is nested deeper than the limit of 64 levels");
	assert_int_equal(d.v[0].pos.line, 1);
	assert_int_equal(d.v[0].pos.col, 65);
	diag_fini(&d);

	/* Exactly 64 levels is fine. */
	memset(yaml, '[', 64);
	memset(yaml + 64, ']', 64);
	yaml[128] = '\0';
	t = tree(yaml, &d, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(t->root->height, 63);
	ytree_free(t);
	diag_fini(&d);
}

static void test_tree_refuses_deep_nesting_through_an_alias(void **state)
{
	(void)state;
	/* 40 levels anchored, then copied at depth 30: 70 levels. */
	char yaml[1024];
	size_t o = 0;
	o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "a: &d ");
	for (int i = 0; i < 40; i++)
		yaml[o++] = '[';
	for (int i = 0; i < 40; i++)
		yaml[o++] = ']';
	o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "\nb: ");
	for (int i = 0; i < 30; i++)
		yaml[o++] = '[';
	o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "*d");
	for (int i = 0; i < 30; i++)
		yaml[o++] = ']';
	yaml[o++] = '\n';
	yaml[o] = '\0';
	struct diag d;
	int rc;
	struct ytree *t = tree(yaml, &d, &rc);
	assert_int_equal(rc, -EINVAL);
	assert_null(t);
	assert_string_equal(d.v[0].msg, "the YAML is nested deeper than the limit of 64 levels");
	diag_fini(&d);
}

static void test_tree_reports_binary_and_bad_utf8_with_positions(void **state)
{
	(void)state;
	struct diag d;
	struct ytree *t = NULL;
	diag_init(&d, "t.yaml");
	assert_int_equal(ytree_load_buffer("a: 1\nb: x\0y\n", 12, "t.yaml", &d, &t), -EINVAL);
	assert_null(t);
	assert_int_equal(d.v[0].pos.line, 2);
	assert_int_equal(d.v[0].pos.col, 5);
	assert_string_equal(d.v[0].msg,
	                    "the file is not text: control character 0x00 is not allowed");
	diag_fini(&d);

	diag_init(&d, "t.yaml");
	assert_int_equal(ytree_load_buffer("a: \xc3\xa9\xc3\xa9\xff\n", 8, "t.yaml", &d, &t),
	                 -EINVAL);
	assert_int_equal(d.v[0].pos.line, 1);
	assert_int_equal(d.v[0].pos.col, 6);
	assert_string_equal(
	    d.v[0].msg,
	    "the file is not valid UTF-8 text: byte 0xff does not begin a valid UTF-8 character");
	diag_fini(&d);

	/* Latin-1 "caf\xe9 x": the error is at the e-acute, not at the space after it. */
	diag_init(&d, "t.yaml");
	assert_int_equal(ytree_load_buffer("a: caf\xe9 x\n", 10, "t.yaml", &d, &t), -EINVAL);
	assert_int_equal(d.v[0].pos.line, 1);
	assert_int_equal(d.v[0].pos.col, 7);
	assert_string_equal(
	    d.v[0].msg,
	    "the file is not valid UTF-8 text: byte 0xe9 does not begin a valid UTF-8 character");
	diag_fini(&d);
}

static void test_tree_calls_an_empty_file_an_empty_scenario(void **state)
{
	(void)state;
	const char *empties[] = {"", "# nothing\n", "---\n", "~\n", "\n\n"};
	for (size_t i = 0; i < sizeof(empties) / sizeof(empties[0]); i++) {
		struct diag d;
		int rc;
		struct ytree *t = tree(empties[i], &d, &rc);
		assert_int_equal(rc, -EINVAL);
		assert_null(t);
		assert_int_equal(d.n, 1);
		assert_string_equal(d.v[0].msg,
		                    "empty scenario: expected a mapping with 'lpsim: 1'");
		diag_fini(&d);
	}
}

static void test_tree_refuses_a_file_over_the_size_limit_before_reading(void **state)
{
	(void)state;
	char path[] = "/tmp/lpsim-test-big-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	/* Sparse: no disk space used, and nothing is read. */
	assert_int_equal(ftruncate(fd, SCENARIO_MAX_FILE_BYTES + 1), 0);
	close(fd);
	struct diag d;
	struct ytree *t = NULL;
	diag_init(&d, path);
	assert_int_equal(ytree_load_file(path, &d, &t), -EINVAL);
	assert_null(t);
	assert_string_equal(d.v[0].msg,
	                    "the file is 67108865 bytes, more than the limit of 67108864 (64 MiB)");
	unlink(path);
	diag_fini(&d);
}

static void test_tree_load_of_a_missing_file_returns_enoent(void **state)
{
	(void)state;
	struct diag d;
	struct ytree *t = NULL;
	diag_init(&d, "nope");
	assert_int_equal(ytree_load_file("/nonexistent/lpsim.yaml", &d, &t), -ENOENT);
	assert_int_equal(ytree_load_file("/tmp", &d, &t), -EISDIR);
	assert_false(diag_failed(&d));
	diag_fini(&d);
}

static void test_tree_set_replaces_and_creates_by_path(void **state)
{
	(void)state;
	struct diag d;
	int rc;
	struct ytree *t = tree("vcenter: {version: 8.0.3}\n"
	                       "clusters:\n"
	                       "  - name: a\n"
	                       "    vms: [{name: web-%03d, count: 4}, {name: db, count: 1}]\n",
	                       &d, &rc);
	assert_int_equal(rc, 0);
	struct diag_pos at = {9, 9};
	assert_int_equal(ytree_set(t, "vcenter.remediation.parallel.max_hosts", "8", false, at, &d),
	                 0);
	assert_int_equal(ytree_set(t, "clusters[0].vms[web-%03d].count", "400", false, at, &d), 0);
	assert_int_equal(ytree_set(t, "clusters[a].vms[1].count", "2", true, at, &d), 0);
	const struct ynode *mh = ynode_get(
	    ynode_get(ynode_get(ynode_get(t->root, "vcenter"), "remediation"), "parallel"),
	    "max_hosts");
	assert_string_equal(mh->str, "8");
	assert_int_equal(mh->line, 9);
	const struct ynode *vms = ynode_get(ynode_get(t->root, "clusters")->items[0], "vms");
	assert_string_equal(ynode_get(vms->items[0], "count")->str, "400");
	assert_string_equal(ynode_get(vms->items[1], "count")->str, "2");
	assert_true(ynode_get(vms->items[1], "count")->quoted);
	assert_false(diag_failed(&d));

	struct ytree *copy = ytree_clone(t);
	assert_int_equal(ytree_set(copy, "vcenter.version", "9.1", false, at, &d), 0);
	assert_string_equal(ynode_get(ynode_get(t->root, "vcenter"), "version")->str, "8.0.3");
	ytree_free(copy);

	assert_int_equal(ytree_set(t, "clusters[3].name", "x", false, at, &d), -EINVAL);
	assert_string_equal(d.v[0].msg,
	                    "path 'clusters[3].name': 'clusters' has 1 items, so no [3]");
	assert_int_equal(ytree_set(t, "clusters[0].vms[nope].count", "1", false, at, &d), -EINVAL);
	assert_string_equal(
	    d.v[1].msg,
	    "path 'clusters[0].vms[nope].count': no item of 'clusters[0].vms' has name 'nope'");
	assert_int_equal(ytree_set(t, "vcenter.version.major", "1", false, at, &d), -EINVAL);
	assert_string_equal(d.v[2].msg, "path 'vcenter.version.major': 'vcenter.version' is a "
	                                "scalar, not a mapping with key 'major'");
	assert_int_equal(ytree_set(t, "a..b", "1", false, at, &d), -EINVAL);
	ytree_free(t);
	diag_fini(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_duration_accepts_every_unit),
	    cmocka_unit_test(test_duration_plain_numbers_are_seconds),
	    cmocka_unit_test(test_duration_accepts_fractions_and_compounds),
	    cmocka_unit_test(test_duration_rejects_negatives_and_bad_units),
	    cmocka_unit_test(test_duration_rejects_nan_inf_and_overflow),
	    cmocka_unit_test(test_version_parses_dotted_and_update_forms),
	    cmocka_unit_test(test_version_compares_numerically),
	    cmocka_unit_test(test_version_rejects_garbage),
	    cmocka_unit_test(test_name_expand_formats_one_integer),
	    cmocka_unit_test(test_name_expand_percent_percent_is_literal),
	    cmocka_unit_test(test_name_expand_rejects_other_conversions),
	    cmocka_unit_test(test_name_pattern_explains_what_is_wrong),
	    cmocka_unit_test(test_name_expand_reports_a_small_buffer),
	    cmocka_unit_test(test_name_match_inverts_expand),
	    cmocka_unit_test(test_diag_prints_sorted_by_position),
	    cmocka_unit_test(test_diag_keeps_one_copy_of_a_repeated_error),
	    cmocka_unit_test(test_diag_caps_errors_and_says_so),
	    cmocka_unit_test(test_diag_snippet_escapes_and_cuts),
	    cmocka_unit_test(test_tree_keeps_positions),
	    cmocka_unit_test(test_tree_expands_aliases_by_copying),
	    cmocka_unit_test(test_tree_resolves_merge_keys_explicit_keys_win),
	    cmocka_unit_test(test_tree_merge_of_an_empty_list_merges_nothing),
	    cmocka_unit_test(test_tree_reports_duplicate_keys_and_keeps_the_first),
	    cmocka_unit_test(test_tree_refuses_an_alias_bomb),
	    cmocka_unit_test(test_tree_refuses_deep_nesting),
	    cmocka_unit_test(test_tree_refuses_deep_nesting_through_an_alias),
	    cmocka_unit_test(test_tree_reports_binary_and_bad_utf8_with_positions),
	    cmocka_unit_test(test_tree_calls_an_empty_file_an_empty_scenario),
	    cmocka_unit_test(test_tree_refuses_a_file_over_the_size_limit_before_reading),
	    cmocka_unit_test(test_tree_load_of_a_missing_file_returns_enoent),
	    cmocka_unit_test(test_tree_set_replaces_and_creates_by_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
