/*
 * Tests of plots/: the CSV reader, units and axes, reading a run and a
 * sweep directory back (tests/data/plots/), and the charts and the report
 * checked by what they draw: image sizes, pixels in the plot area, the
 * legend's colours, panels, the PDF's pages. Run from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "models/record.h"
#include "plots/plot.h"
#include "plots/plot_csv.h"
#include "plots/plot_png.h"
#include "plots/report.h"
#include "sim/atomicio.h"
#include "plots/report_doc.h"
#include "tests/scale.h"
#include "plots/report_html.h"

#define RUN "tests/data/plots/run-small"
#define SWEEP "tests/data/plots/sweep"

/* ---- helpers ----------------------------------------------------------------- */

static char tmpdir[256];

static int make_tmp(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/lpsim-test-plots-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmp(void **state)
{
	(void)state;
	char cmd[512];
	plot_release_fonts();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Renders chart c of src into a new image surface of its preferred size. */
static cairo_surface_t *render(const struct plot_source *src, enum plot_chart c,
                               const struct plot_opts *o, struct plot_layout *lay)
{
	double w, h;
	char msg[512] = "";
	assert_int_equal(plot_size(src, c, o, &w, &h, msg, sizeof(msg)), 0);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(w), (int)ceil(h));
	cairo_t *cr = cairo_create(s);
	int rc = plot_render(cr, w, h, src, c, o, lay, msg, sizeof(msg));
	if (rc)
		fprintf(stderr, "render: %s\n", msg);
	assert_int_equal(rc, 0);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	return s;
}

/* Pixels of r that are neither white nor the plot panel's near-white. */
static size_t inked(cairo_surface_t *s, struct plot_rect r)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *d = cairo_image_surface_get_data(s);
	size_t n = 0;
	for (int y = (int)r.y; y < (int)(r.y + r.h) && y < h; y++)
		for (int x = (int)r.x; x < (int)(r.x + r.w) && x < w; x++) {
			uint32_t p = *(const uint32_t *)(const void *)(d + (size_t)y * (size_t)stride + (size_t)x * 4);
			unsigned rr = (p >> 16) & 255, gg = (p >> 8) & 255, bb = p & 255;
			if (rr < 240 || gg < 240 || bb < 240)
				n++;
		}
	return n;
}

/* Pixels of r close to colour c (within 12 per channel). */
static size_t colored(cairo_surface_t *s, struct plot_rect r, struct plot_rgb c)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *d = cairo_image_surface_get_data(s);
	int cr = (int)lround(c.r * 255), cg = (int)lround(c.g * 255), cb = (int)lround(c.b * 255);
	size_t n = 0;
	for (int y = (int)r.y; y < (int)(r.y + r.h) && y < h; y++)
		for (int x = (int)r.x; x < (int)(r.x + r.w) && x < w; x++) {
			uint32_t p = *(const uint32_t *)(const void *)(d + (size_t)y * (size_t)stride + (size_t)x * 4);
			int rr = (int)((p >> 16) & 255), gg = (int)((p >> 8) & 255), bb = (int)(p & 255);
			if (abs(rr - cr) <= 12 && abs(gg - cg) <= 12 && abs(bb - cb) <= 12)
				n++;
		}
	return n;
}

static struct plot_run *load_run(const char *dir, unsigned want)
{
	struct plot_run *r = NULL;
	char msg[512] = "";
	int rc = plot_run_load(dir, want, 0, &r, msg, sizeof(msg));
	if (rc)
		fprintf(stderr, "load: %s\n", msg);
	assert_int_equal(rc, 0);
	return r;
}

/* ---- the CSV reader ---------------------------------------------------------- */

static void test_csv_reads_quoted_fields_crlf_and_blank_lines(void **state)
{
	(void)state;
	char p[512];
	snprintf(p, sizeof(p), "%s/a.csv", tmpdir);
	write_file(p, "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\r\n\n\"two\nlines\",2,3\n");
	struct plot_csv *c = plot_csv_open(p);
	assert_non_null(c);
	char **f;
	assert_int_equal(plot_csv_read(c, &f), 3);
	assert_string_equal(f[2], "c");
	assert_int_equal(plot_csv_read(c, &f), 3);
	assert_string_equal(f[0], "x,1");
	assert_string_equal(f[1], "say \"hi\"");
	assert_string_equal(f[2], "");
	assert_int_equal(plot_csv_read(c, &f), 3);
	assert_int_equal(plot_csv_line(c), 4);
	assert_string_equal(f[0], "two\nlines");
	assert_int_equal(plot_csv_read(c, &f), 0);
	plot_csv_close(c);
}

static void test_csv_reports_an_unterminated_quote_at_its_line(void **state)
{
	(void)state;
	char p[512];
	snprintf(p, sizeof(p), "%s/b.csv", tmpdir);
	write_file(p, "a,b\n1,2\n3,\"4\n5,6\n");
	struct plot_csv *c = plot_csv_open(p);
	char **f;
	assert_int_equal(plot_csv_read(c, &f), 2);
	assert_int_equal(plot_csv_read(c, &f), 2);
	assert_int_equal(plot_csv_read(c, &f), -EINVAL);
	assert_int_equal(plot_csv_line(c), 3);
	assert_string_equal(plot_csv_error(c), "unterminated quoted field");
	plot_csv_close(c);
}

static void test_csv_numbers_fast_path_equals_strtod(void **state)
{
	(void)state;
	char buf[64];
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		double v = (double)(x % 4000000000000ull) / 1e6 * (i % 3 ? 1 : 1e-3);
		snprintf(buf, sizeof(buf), "%.6f", v);
		double a, b = strtod(buf, NULL);
		assert_true(plot_csv_number(buf, false, &a));
		assert_true(a == b);
	}
	double v;
	assert_true(plot_csv_number("", true, &v) && isnan(v));
	assert_false(plot_csv_number("", false, &v));
	assert_false(plot_csv_number("1.5x", false, &v));
	assert_false(plot_csv_number("inf", false, &v));
	assert_false(plot_csv_number("nan", false, &v));
	assert_true(plot_csv_number("-2.000000", false, &v) && v == -2);
	assert_true(plot_csv_number("1e3", false, &v) && v == 1000);
}

/* ---- units and axes ---------------------------------------------------------- */

static void test_durations_read_in_human_units(void **state)
{
	(void)state;
	char b[64];
	assert_string_equal(plot_fmt_duration(b, sizeof(b), 0.25), "250 ms");
	assert_string_equal(plot_fmt_duration(b, sizeof(b), 42), "42 s");
	assert_string_equal(plot_fmt_duration(b, sizeof(b), 2256), "37.6 min");
	assert_string_equal(plot_fmt_duration(b, sizeof(b), 4 * 3600.0), "4 h");
	assert_string_equal(plot_fmt_duration(b, sizeof(b), 18900), "5.25 h");
	assert_string_equal(plot_fmt_duration(b, sizeof(b), NAN), "n/a");
	assert_string_equal(plot_fmt_count(b, sizeof(b), 2000000), "2,000,000");
	assert_string_equal(plot_fmt_count(b, sizeof(b), -1234), "-1,234");
}

static void test_durations_are_written_in_the_unit_they_report(void **state)
{
	(void)state;
	static const struct {
		double s;
		double unit;
		const char *name;
	} cases[] = {
	    {1, 1, "s"},       {119.9, 1, "s"},    {120, 60, "min"},          {7199, 60, "min"},
	    {7200, 3600, "h"}, {-9000, 3600, "h"}, {4 * 86400.0, 86400, "d"}, {1e7, 86400, "d"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *name = NULL;
		char b[64], want[64];
		assert_true(plot_duration_unit(cases[i].s, &name) == cases[i].unit);
		assert_string_equal(name, cases[i].name);
		/* plot_fmt_duration writes "N UNIT" in that unit */
		plot_fmt_duration(b, sizeof(b), cases[i].s);
		snprintf(want, sizeof(want), " %s", name);
		assert_string_equal(b + strlen(b) - strlen(want), want);
	}
	char b[32];
	assert_string_equal(plot_fmt_capital(b, sizeof(b), "live patch"), "Live patch");
	assert_string_equal(plot_fmt_capital(b, sizeof(b), "Classic"), "Classic");
	assert_string_equal(plot_fmt_capital(b, sizeof(b), ""), "");
	assert_string_equal(plot_fmt_capital(b, 3, "classic"), "Cl");
}

static void test_charts_name_the_files_they_need(void **state)
{
	(void)state;
	static const struct {
		enum plot_chart c;
		unsigned needs;
	} cases[] = {
	    {PLOT_TIMELINE, PLOT_FILE_TIMELINE},
	    {PLOT_COMPLIANCE, PLOT_FILE_COMPLIANCE},
	    {PLOT_DOWNTIME, PLOT_FILE_VMS},
	    {PLOT_SWEEP, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned needs = plot_chart_required_files(cases[i].c);
		assert_int_equal(needs, cases[i].needs);
		assert_int_equal(needs & ~plot_chart_files(cases[i].c), 0); /* read what it needs */
	}
	assert_string_equal(plot_file_name(PLOT_FILE_HOSTS), "hosts.csv");
	assert_string_equal(plot_file_name(PLOT_FILE_VMS), "vms.csv");
	assert_string_equal(plot_file_name(PLOT_FILE_TIMELINE), "timeline.csv");
	assert_string_equal(plot_file_name(PLOT_FILE_COMPLIANCE), "compliance.csv");
	assert_null(plot_file_name(PLOT_FILE_HOSTS | PLOT_FILE_VMS));
	/* the metric names listed are the ones found, the default first */
	char names[256];
	plot_metric_names(names, sizeof(names));
	assert_true(strncmp(names, "makespan_s, ", 12) == 0);
	assert_ptr_equal(plot_metric_find(NULL), plot_metric_find("makespan_s"));
	size_t n = 0;
	for (char *save = NULL, *t = strtok_r(names, ", ", &save); t;
	     t = strtok_r(NULL, ", ", &save)) {
		const struct plot_metric *m = plot_metric_find(t);
		assert_non_null(m);
		assert_string_equal(m->name, t);
		n++;
	}
	assert_int_equal(n, 5);
	assert_null(plot_metric_find("speed"));
}

static void test_time_axes_pick_unit_and_nice_steps(void **state)
{
	(void)state;
	struct plot_axis a;
	plot_axis_nice(&a, 0, 2000, 10, true); /* 33 min */
	assert_string_equal(a.unit_name, "min");
	assert_true(a.step == 300);
	assert_true(a.hi >= 2000 && a.hi <= 2400);
	plot_axis_nice(&a, 0, 19000, 10, true); /* 5.3 h */
	assert_string_equal(a.unit_name, "h");
	assert_true(a.step == 3600 && a.hi == 6 * 3600.0);
	plot_axis_nice(&a, 0, 90, 6, true);
	assert_string_equal(a.unit_name, "s");
	assert_true(a.step == 15 || a.step == 20);
	plot_axis_log(&a, 0.05, 2000);
	assert_true(a.log && a.lo == 0.01 && a.hi == 10000);
	a.px0 = 0;
	a.px1 = 600;
	assert_true(fabs(plot_axis_map(&a, 1) - 200) < 1e-9);
}

/* ---- reading a run directory -------------------------------------------------- */

static void test_run_directory_is_read_back(void **state)
{
	(void)state;
	struct plot_run *r = load_run(RUN, PLOT_FILE_ALL);
	assert_int_equal(r->have, PLOT_FILE_ALL);
	assert_int_equal(r->nstrategies, 2);
	assert_string_equal(r->sum.scenario_name, "small");
	assert_int_equal(r->sum.replications, 4);
	for (size_t i = 0; i < 2; i++) {
		const struct plot_strategy *st = &r->st[i];
		assert_int_equal(st->nhosts, 4);
		assert_int_equal(st->nclusters, 1);
		assert_true(st->nspans >= 4 * 3);
		assert_int_equal(st->compliance_reps, 4);
		assert_int_equal(st->vm_reps, 4);
		assert_int_equal(st->nvmrows, 4 * 30);
		assert_int_equal(st->vms_per_rep, 30);
		assert_int_equal(st->nincompat, 2); /* ft-01 and sql-01 */
		for (size_t k = 0; k < st->nspans; k++)
			assert_true(st->spans[k].host < st->nhosts && st->spans[k].end_s >= st->spans[k].start_s);
	}
	assert_int_equal(r->st[0].strategy, SCENARIO_STRATEGY_LIVE_PATCH);
	assert_ptr_equal(plot_run_strategy(r, SCENARIO_STRATEGY_CLASSIC), &r->st[1]);
	assert_ptr_equal(plot_summary_strategy(&r->sum, SCENARIO_STRATEGY_CLASSIC),
	                 &r->sum.strategies[1]);
	assert_ptr_equal(plot_summary_strategy(&r->sum, SCENARIO_STRATEGY_LIVE_PATCH),
	                 &r->sum.strategies[0]);
	struct output_summary one = {.nstrategies = 1};
	one.strategies[0].strategy = SCENARIO_STRATEGY_CLASSIC;
	assert_null(plot_summary_strategy(&one, SCENARIO_STRATEGY_LIVE_PATCH));
	/* the fixture's headers are the ones the writer writes */
	static const struct {
		const char *file;
		const char *header;
	} files[] = {
	    {RUN "/hosts.csv", OUTPUT_HOSTS_CSV_HEADER "\n"},
	    {RUN "/vms.csv", OUTPUT_VMS_CSV_HEADER "\n"},
	    {RUN "/timeline.csv", OUTPUT_TIMELINE_CSV_HEADER "\n"},
	    {RUN "/compliance.csv", OUTPUT_COMPLIANCE_CSV_HEADER "\n"},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char line[512] = "";
		FILE *f = fopen(files[i].file, "r");
		assert_non_null(f);
		assert_non_null(fgets(line, sizeof(line), f));
		fclose(f);
		assert_string_equal(line, files[i].header);
	}
	size_t fsr = 0;
	for (size_t h = 0; h < r->st[0].nhosts; h++)
		fsr += r->st[0].hosts[h].fsr;
	assert_true(fsr > 20);
	plot_run_free(r);
}

static void test_bad_run_directories_are_errors_with_place(void **state)
{
	(void)state;
	static const struct {
		const char *dir;
		int rc;
		const char *msg;
	} cases[] = {
	    {"tests/data/plots/bad-number", -EINVAL, "bad-number/vms.csv:3: 'downtime_s' is not a number: 'abc'"},
	    {"tests/data/plots/bad-header", -EINVAL, "bad-header/hosts.csv:1: unexpected header"},
	    {"tests/data/plots/bad-strategy", -EINVAL, "compliance.csv:2: strategy 'quick_patch'"},
	    {"tests/data/plots/bad-json", -EINVAL, "summary.json:8:135: not valid JSON"},
	    {"tests/data/plots/bad-quote", -EINVAL, "timeline.csv:4: unterminated quoted field"},
	    {"tests/data/plots/bad-fields", -EINVAL, "timeline.csv:5: 6 fields, want 7"},
	    {"tests/data/plots/no-summary", -ENOENT, "no summary.json: not a run directory"},
	    {"tests/data/plots/nowhere", -ENOENT, "nowhere"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct plot_run *r = NULL;
		char msg[512] = "";
		assert_int_equal(plot_run_load(cases[i].dir, PLOT_FILE_ALL, 0, &r, msg, sizeof(msg)),
		                 cases[i].rc);
		assert_null(r);
		if (!strstr(msg, cases[i].msg))
			fail_msg("%s: message '%s' lacks '%s'", cases[i].dir, msg, cases[i].msg);
	}
	struct plot_run *r = NULL;
	char msg[256];
	assert_int_equal(plot_run_load(RUN, PLOT_FILE_ALL, 9, &r, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "replication 9 is not one of 0..3"));
}

/* ---- charts ----------------------------------------------------------------------- */

static void test_timeline_draws_lanes_legend_and_ticks(void **state)
{
	(void)state;
	struct plot_run *r = load_run(RUN, PLOT_FILE_ALL);
	struct plot_source src = {r, NULL};
	struct plot_opts o;
	plot_opts_default(&o);
	struct plot_layout lay;
	cairo_surface_t *s = render(&src, PLOT_TIMELINE, &o, &lay);
	assert_int_equal(cairo_image_surface_get_width(s), 1200);
	assert_true(cairo_image_surface_get_height(s) > 400 && cairo_image_surface_get_height(s) < 1200);
	assert_int_equal(lay.npanels, 2);
	assert_false(lay.aggregated);
	assert_true(lay.ticks);
	/* the lanes are mostly ink: pending grey, state bands, compliant green */
	size_t area = (size_t)(lay.area.w * lay.area.h);
	assert_true(inked(s, lay.area) > area / 2);
	/* the legend holds the state swatches: patching green and FSR purple */
	assert_true(lay.nlegend >= 6);
	assert_true(colored(s, lay.legend, PLOT_GREEN) > 100);
	assert_true(colored(s, lay.legend, PLOT_PURPLE) > 100);
	/* and the lanes show patching */
	assert_true(colored(s, lay.area, PLOT_GREEN) > 50);
	cairo_surface_destroy(s);
	/* one strategy: one panel */
	o.strategy = SCENARIO_STRATEGY_CLASSIC;
	s = render(&src, PLOT_TIMELINE, &o, &lay);
	assert_int_equal(lay.npanels, 1);
	assert_true(colored(s, lay.area, PLOT_ORANGE) > 50); /* rebooting */
	cairo_surface_destroy(s);
	plot_run_free(r);
}

/* Writes a synthetic run directory of nclusters x nhosts hosts, each pending then patching then done. */
static void write_big_run(const char *dir, int nclusters, int nhosts)
{
	char p[1024];
	mkdir(dir, 0777);
	char *sum;
	size_t len;
	assert_int_equal(atomicio_read_file(RUN "/summary.json", &sum, &len, SIZE_MAX), 0);
	snprintf(p, sizeof(p), "%s/summary.json", dir);
	FILE *f = fopen(p, "wb");
	fwrite(sum, 1, len, f);
	fclose(f);
	free(sum);
	snprintf(p, sizeof(p), "%s/timeline.csv", dir);
	f = fopen(p, "wb");
	fprintf(f, "strategy,replication,cluster,host,state,start_s,end_s\n");
	for (int c = 0; c < nclusters; c++)
		for (int h = 0; h < nhosts; h++) {
			double t0 = 10.0 * h;
			fprintf(f, "live_patch,0,cl-%02d,esx-%03d,pending,0.000000,%.6f\n", c, h, t0);
			fprintf(f, "live_patch,0,cl-%02d,esx-%03d,patching,%.6f,%.6f\n", c, h, t0, t0 + 60);
			fprintf(f, "live_patch,0,cl-%02d,esx-%03d,done,%.6f,%.6f\n", c, h, t0 + 60,
			        10.0 * nhosts + 60);
		}
	fclose(f);
}

static void test_timeline_of_many_hosts_draws_cluster_lanes(void **state)
{
	(void)state;
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/big", tmpdir);
	write_big_run(dir, 30, 40); /* 1,200 hosts in 30 clusters */
	struct plot_run *r = load_run(dir, PLOT_FILE_ALL);
	assert_int_equal(r->have, PLOT_FILE_TIMELINE);
	assert_int_equal(r->st[0].nhosts, 1200);
	struct plot_source src = {r, NULL};
	struct plot_opts o;
	plot_opts_default(&o);
	struct plot_layout lay;
	cairo_surface_t *s = render(&src, PLOT_TIMELINE, &o, &lay);
	assert_true(lay.aggregated);
	assert_false(lay.ticks);
	assert_true(cairo_image_surface_get_height(s) < 1500);
	assert_non_null(strstr(lay.note, "each lane is a cluster"));
	/* 30 clusters, too many for a lane each: the worst ranked, the others in one lane */
	assert_non_null(strstr(lay.note, "ranked on top, and the last lane holds all the others"));
	/* the share in each state fills the lanes: patching green appears, compliant too */
	assert_true(colored(s, lay.area, PLOT_GREEN) > 200);
	assert_true(inked(s, lay.area) > (size_t)(lay.area.w * lay.area.h) / 3);
	cairo_surface_destroy(s);
	/* forced per-host lanes still fit a canvas */
	o.lanes = PLOT_LANES_HOSTS;
	s = render(&src, PLOT_TIMELINE, &o, &lay);
	assert_false(lay.aggregated);
	cairo_surface_destroy(s);
	plot_run_free(r);
}

static void test_compliance_draws_median_band_and_markers(void **state)
{
	(void)state;
	struct plot_run *r = load_run(RUN, PLOT_FILE_COMPLIANCE);
	struct plot_source src = {r, NULL};
	struct plot_opts o;
	plot_opts_default(&o);
	o.window_s = 4 * 3600.0;
	struct plot_layout lay;
	cairo_surface_t *s = render(&src, PLOT_COMPLIANCE, &o, &lay);
	assert_true(lay.band); /* four replications in compliance.csv */
	assert_int_equal(lay.nseries, 2);
	assert_int_equal(lay.nlegend, 5); /* two curves, two medians, the window */
	assert_true(colored(s, lay.area, PLOT_BLUE) > 200);
	assert_true(colored(s, lay.area, PLOT_ORANGE) > 200);
	assert_true(colored(s, lay.legend, PLOT_BLUE) > 20);
	assert_true(colored(s, lay.area, PLOT_VERMILLION) > 50); /* the window line */
	cairo_surface_destroy(s);
	plot_run_free(r);
}

static void test_downtime_draws_a_panel_per_strategy_and_kind_curves(void **state)
{
	(void)state;
	struct plot_run *r = load_run(RUN, PLOT_FILE_VMS);
	struct plot_source src = {r, NULL};
	struct plot_opts o;
	plot_opts_default(&o);
	struct plot_layout lay;
	cairo_surface_t *s = render(&src, PLOT_DOWNTIME, &o, &lay);
	assert_int_equal(lay.npanels, 2);
	assert_true(lay.nseries >= 5); /* fsr, power cycle, vmotion, all; vmotion, power off, all */
	assert_true(colored(s, lay.area, PLOT_PURPLE) > 100); /* FSR stun curve */
	assert_true(colored(s, lay.legend, PLOT_VERMILLION) > 20); /* power cycle in the legend */
	/* thin: live patch's 4 power cycles and 4 vMotions against 108 FSRs, classic's 4
	 * powered off against 112 vMotions */
	assert_int_equal(lay.nthin, 3);
	cairo_surface_destroy(s);
	plot_run_free(r);
}

static void test_charts_without_their_file_are_refused(void **state)
{
	(void)state;
	struct plot_run *r = load_run(RUN, PLOT_FILE_COMPLIANCE);
	struct plot_source src = {r, NULL};
	struct plot_opts o;
	plot_opts_default(&o);
	char msg[512] = "";
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 100, 100);
	cairo_t *cr = cairo_create(s);
	assert_int_equal(plot_render(cr, 100, 100, &src, PLOT_DOWNTIME, &o, NULL, msg, sizeof(msg)),
	                 -EINVAL);
	assert_non_null(strstr(msg, "no vms.csv"));
	assert_int_equal(plot_render(cr, 100, 100, &src, PLOT_SWEEP, &o, NULL, msg, sizeof(msg)),
	                 -EINVAL);
	assert_non_null(strstr(msg, "sweep.json"));
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	plot_run_free(r);
}

static void test_sweep_chart_draws_series_error_bars_and_window(void **state)
{
	(void)state;
	struct plot_sweep *sw = NULL;
	char msg[512] = "";
	assert_int_equal(plot_sweep_load(SWEEP, &sw, msg, sizeof(msg)), 0);
	assert_int_equal(sw->naxes, 2);
	assert_int_equal(sw->npoints, 12);
	assert_true(sw->axes[0].numeric);
	size_t idx[2] = {3, 2};
	const struct plot_sweep_point *p = plot_sweep_find(sw, idx);
	assert_non_null(p);
	assert_int_equal(p->sum.nstrategies, 2);
	struct plot_source src = {NULL, sw};
	struct plot_opts o;
	plot_opts_default(&o);
	o.window_s = 2 * 3600.0;
	struct plot_layout lay;
	cairo_surface_t *s = render(&src, PLOT_SWEEP, &o, &lay);
	assert_int_equal(lay.nseries, 6); /* 2 strategies x 3 web counts */
	assert_int_equal(lay.nlegend, 7);
	assert_true(colored(s, lay.area, PLOT_BLUE) > 100);
	assert_true(colored(s, lay.area, PLOT_ORANGE) > 100);
	assert_true(colored(s, lay.area, PLOT_VERMILLION) > 100);
	cairo_surface_destroy(s);
	o.metric = "exposure_host_hours";
	o.axis = "clusters[0].vms[web-%03d].count";
	s = render(&src, PLOT_SWEEP, &o, &lay);
	assert_int_equal(lay.nseries, 8); /* 2 strategies x 4 max_hosts */
	assert_non_null(strstr(lay.note, "time metrics only"));
	cairo_surface_destroy(s);
	o.axis = "no.such.axis";
	cairo_surface_t *t = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
	cairo_t *cr = cairo_create(t);
	assert_int_equal(plot_render(cr, 10, 10, &src, PLOT_SWEEP, &o, NULL, msg, sizeof(msg)), -EINVAL);
	cairo_destroy(cr);
	cairo_surface_destroy(t);
	plot_sweep_free(sw);
}

/* The first point's summary of SWEEP, as compact JSON (malloc'd). */
static char *a_point_summary(void)
{
	json_error_t je;
	json_t *root = json_load_file(SWEEP "/sweep.json", 0, &je);
	assert_non_null(root);
	char *t = json_dumps(json_object_get(json_array_get(json_object_get(root, "points"), 0),
	                                     "summary"),
	                     JSON_COMPACT);
	assert_non_null(t);
	json_decref(root);
	return t;
}

/* Writes DIR/sweep.json: axis "a" of values, then a point for each of params. */
static void write_sweep(const char *dir, const char *values, const char *const *params,
                        size_t n, const char *sum)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/sweep.json", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fprintf(f, "{\"axes\": [{\"path\": \"a\", \"values\": [%s]}],\n \"points\": [", values);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n  {\"params\": {\"a\": %s}, \"summary\": %s}", i ? "," : "", params[i],
		        sum);
	fprintf(f, "]}\n");
	assert_int_equal(fclose(f), 0);
}

static void test_sweep_points_are_matched_to_the_first_equal_value(void **state)
{
	(void)state;
	char *sum = a_point_summary();
	/* "5m" and 300 are both 300 s: a point of 300 is the first, "5m". */
	const char *params[] = {"\"x\"", "300", "\"x2\"", "\"x\""};
	write_sweep(tmpdir, "\"5m\", 300, \"x\", \"x2\"", params, 4, sum);
	struct plot_sweep *sw = NULL;
	char msg[512] = "";
	if (plot_sweep_load(tmpdir, &sw, msg, sizeof(msg)) != 0)
		fail_msg("%s", msg);
	assert_int_equal(sw->npoints, 4);
	assert_int_equal(sw->points[0].idx[0], 2);
	assert_int_equal(sw->points[1].idx[0], 0);
	assert_int_equal(sw->points[2].idx[0], 3);
	size_t want[4][2] = {{0, 1}, {1, SIZE_MAX}, {2, 0}, {3, 2}}; /* value -> point */
	for (size_t i = 0; i < 4; i++) {
		const struct plot_sweep_point *p = plot_sweep_find(sw, &want[i][0]);
		if (want[i][1] == SIZE_MAX)
			assert_null(p);
		else
			assert_ptr_equal(p, &sw->points[want[i][1]]); /* "x" twice: the first */
	}
	plot_sweep_free(sw);
	/* A value no point matches, and a bad document, as before. */
	const char *bad[] = {"301"};
	write_sweep(tmpdir, "\"5m\", 300", bad, 1, sum);
	assert_int_equal(plot_sweep_load(tmpdir, &sw, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "points[0]: 'a' = '301' is not one of the axis' values"));
	char path[512];
	snprintf(path, sizeof(path), "%s/sweep.json", tmpdir);
	write_file(path, "{\"axes\": [], \"points\": [1,]}");
	assert_int_equal(plot_sweep_load(tmpdir, &sw, msg, sizeof(msg)), -EINVAL);
	write_file(path, "{\"axes\": [{\"path\": \"a\", \"values\": [1]}], \"points\": [{\"params\": {\"a\": 1}, \"summary\": {\"x\": 1, \"x\": 2}}]}");
	assert_int_equal(plot_sweep_load(tmpdir, &sw, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "sweep.json:1:"));
	free(sum);
}

/* A sweep of n points, one per value of its axis, in DIR/n (loaded). */
static struct plot_sweep *sweep_of(long n, const char *sum)
{
	char dir[512], *values = malloc((size_t)n * 24 + 1);
	const char **params = malloc((size_t)n * sizeof(char *));
	char (*num)[24] = malloc((size_t)n * sizeof(*num));
	assert_true(values && params && num);
	size_t o = 0;
	for (long i = 0; i < n; i++) {
		snprintf(num[i], sizeof(num[i]), "%ld", n - 1 - i); /* points in reverse order */
		o += (size_t)sprintf(values + o, "%s%ld", i ? "," : "", i);
		params[i] = num[i];
	}
	snprintf(dir, sizeof(dir), "%s/%ld", tmpdir, n);
	assert_int_equal(mkdir(dir, 0755), 0);
	write_sweep(dir, values, params, (size_t)n, sum);
	struct plot_sweep *sw = NULL;
	char msg[512];
	if (plot_sweep_load(dir, &sw, msg, sizeof(msg)) != 0)
		fail_msg("%s", msg);
	free(values);
	free(params);
	free(num);
	return sw;
}

static void test_sweep_point_lookups_cost_about_the_points(void **state)
{
	(void)state;
	char *sum = a_point_summary();
	/* Every point looked up once, counting the points each lookup looks at
	 * (not timing them: at 16x the points, cache misses alone made the time
	 * grow 65x on a loaded machine). A binary search looks at about log2(n)
	 * points per lookup; the old scan of every point looked at n/2. */
	static const long sizes[2] = {500, 8000};
	size_t probes[2] = {0, 0};
	for (int k = 0; k < 2; k++) {
		struct plot_sweep *sw = sweep_of(sizes[k], sum);
		for (size_t i = 0; i < sw->npoints; i++)
			assert_ptr_equal(plot_sweep_find_counted(sw, sw->points[i].idx, &probes[k]),
			                 &sw->points[i]);
		assert_true(probes[k] <= sw->npoints * (size_t)(log2((double)sw->npoints) + 2));
		plot_sweep_free(sw);
	}
	double r = (double)probes[1] / (double)probes[0];
	if (r >= SCALE_NOT_QUADRATIC_16)
		fail_msg("16x the points cost %.1fx the probes to look up", r);
	free(sum);
}

static void test_plot_save_writes_each_format_whole(void **state)
{
	(void)state;
	struct plot_run *r = load_run(RUN, PLOT_FILE_COMPLIANCE);
	struct plot_source src = {r, NULL};
	struct plot_opts o;
	plot_opts_default(&o);
	char p[512], msg[512];
	static const char *const ext[] = {"png", "svg", "pdf"};
	static const char *const magic[] = {"\x89PNG", "<?xml", "%PDF"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/c.%s", tmpdir, ext[i]);
		assert_int_equal(plot_save(p, &src, PLOT_COMPLIANCE, &o, NULL, msg, sizeof(msg)), 0);
		FILE *f = fopen(p, "rb");
		assert_non_null(f);
		unsigned char head[24];
		assert_int_equal(fread(head, 1, 24, f), 24);
		fclose(f);
		assert_memory_equal(head, magic[i], strlen(magic[i]));
		if (i == 0) { /* IHDR: width and height */
			uint32_t w = (uint32_t)head[16] << 24 | (uint32_t)head[17] << 16 | head[18] << 8 | head[19];
			assert_int_equal(w, 1200);
		}
	}
	snprintf(p, sizeof(p), "%s/c.gif", tmpdir);
	assert_int_equal(plot_save(p, &src, PLOT_COMPLIANCE, &o, NULL, msg, sizeof(msg)), -EINVAL);
	assert_int_equal(plot_save("/nonexistent-dir/c.png", &src, PLOT_COMPLIANCE, &o, NULL, msg,
	                           sizeof(msg)),
	                 -ENOENT);
	assert_non_null(strstr(msg, "/nonexistent-dir/c.png"));
	plot_run_free(r);
}

/* The PNG writer keeps every pixel: a chart's surface written and read back
 * by cairo's own PNG reader is the same image; a failed write is an error. */
static void test_png_writer_keeps_every_pixel(void **state)
{
	(void)state;
	struct plot_run *r = load_run(RUN, PLOT_FILE_COMPLIANCE);
	struct plot_source src = {r, NULL};
	struct plot_opts o;
	plot_opts_default(&o);
	char p[512], msg[512];
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1200, 700);
	cairo_t *cr = cairo_create(s);
	assert_int_equal(plot_render(cr, 1200, 700, &src, PLOT_COMPLIANCE, &o, NULL, msg, sizeof(msg)), 0);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	snprintf(p, sizeof(p), "%s/pixels.png", tmpdir);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(plot__write_png(s, f), 0);
	assert_int_equal(fclose(f), 0);
	cairo_surface_t *back = cairo_image_surface_create_from_png(p);
	assert_int_equal(cairo_surface_status(back), CAIRO_STATUS_SUCCESS);
	assert_int_equal(cairo_image_surface_get_width(back), 1200);
	assert_int_equal(cairo_image_surface_get_height(back), 700);
	const unsigned char *a = cairo_image_surface_get_data(s), *b = cairo_image_surface_get_data(back);
	int sa = cairo_image_surface_get_stride(s), sb = cairo_image_surface_get_stride(back);
	long colours = 0, differ = 0;
	uint32_t last = 0;
	for (int y = 0; y < 700; y++)
		for (int x = 0; x < 1200; x++) {
			uint32_t pa, pb;
			memcpy(&pa, a + (size_t)y * (size_t)sa + 4 * (size_t)x, 4);
			memcpy(&pb, b + (size_t)y * (size_t)sb + 4 * (size_t)x, 4);
			differ += (pa & 0xffffff) != (pb & 0xffffff);
			colours += (pa & 0xffffff) != last;
			last = pa & 0xffffff;
		}
	assert_int_equal(differ, 0);
	assert_true(colours > 1000); /* a real chart, not a blank page */
	cairo_surface_destroy(back);
	f = fopen("/dev/full", "wb");
	if (f) { /* every write fails: the error is the write's */
		setvbuf(f, NULL, _IONBF, 0);
		assert_int_equal(plot__write_png(s, f), -ENOSPC);
		fclose(f);
	}
	cairo_surface_t *argb = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 4);
	assert_int_equal(plot__write_png(argb, stdout), -EINVAL);
	cairo_surface_destroy(argb);
	cairo_surface_destroy(s);
	plot_run_free(r);
}

/* ---- the report ------------------------------------------------------------------- */

static void test_report_of_a_run_has_its_pages(void **state)
{
	(void)state;
	struct report_opts o;
	report_opts_default(&o);
	o.window_s = 3600;
	struct report *r = NULL;
	char msg[512] = "", p[512];
	assert_int_equal(report_load(RUN, &o, &r, msg, sizeof(msg)), 0);
	snprintf(p, sizeof(p), "%s/report.pdf", tmpdir);
	int pages = 0;
	assert_int_equal(report_write(r, p, &pages, msg, sizeof(msg)), 0);
	assert_true(pages >= 6); /* cover, scenario and scan, comparison and findings, 3 charts */
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	assert_true(sb.st_size > 10000);
	report_free(r);
	/* without the scenario file: still a report */
	o.reload_scenario = false;
	assert_int_equal(report_load(RUN, &o, &r, msg, sizeof(msg)), 0);
	assert_int_equal(report_write(r, p, &pages, msg, sizeof(msg)), 0);
	assert_true(pages >= 6);
	report_free(r);
	assert_int_equal(report_load("tests/data/plots/bad-number", &o, &r, msg, sizeof(msg)), -EINVAL);
}

static void test_report_doc_keeps_its_first_error_and_not_a_chart_refused(void **state)
{
	(void)state;
	char p[512];
	snprintf(p, sizeof(p), "%s/doc.pdf", tmpdir);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	struct plot__sink sk = {f, 0};
	struct report_doc d;
	assert_int_equal(report_doc_open(&d, plot__sink_write, &sk, "footer"), 0);
	report_doc_page(&d, false);
	/* a chart the data does not allow says why on its page: no error */
	struct plot_run *r = load_run(RUN, PLOT_FILE_COMPLIANCE);
	struct plot_source src = {r, NULL};
	struct plot_opts o;
	plot_opts_default(&o);
	assert_int_equal(report_doc_chart(&d, "downtime", &src, PLOT_DOWNTIME, &o), -EINVAL);
	assert_int_equal(d.err, 0);
	assert_int_equal(report_doc_chart(&d, "compliance", &src, PLOT_COMPLIANCE, &o), 0);
	assert_int_equal(d.err, 0);
	report_doc_fail(&d, -ENOMEM);
	report_doc_fail(&d, -EIO);
	assert_int_equal(d.err, -ENOMEM);
	assert_int_equal(d.pages, 3);
	assert_int_equal(report_doc_close(&d), 0);
	assert_int_equal(sk.err, 0);
	assert_int_equal(fclose(f), 0);
	plot_run_free(r);
}

static void test_report_of_a_sweep_has_its_pages(void **state)
{
	(void)state;
	struct report_opts o;
	report_opts_default(&o);
	struct report *r = NULL;
	char msg[512] = "", p[512];
	assert_int_equal(report_load(SWEEP, &o, &r, msg, sizeof(msg)), 0);
	snprintf(p, sizeof(p), "%s/sweep.pdf", tmpdir);
	int pages = 0;
	assert_int_equal(report_write(r, p, &pages, msg, sizeof(msg)), 0);
	assert_int_equal(pages, 6); /* cover, points, four charts */
	report_free(r);
}

/* ---- the HTML report --------------------------------------------------------- */

/* A hand-made run of one strategy: nclusters x per hosts; host i of
 * cluster c failed when i < failed[c] (failed may be NULL). One pending
 * and one patching span per host. Free with free_fake_run. */
static struct plot_run *fake_run(size_t nclusters, size_t per, const size_t *failed,
                                 const char *cluster_name, const char *host_name)
{
	struct plot_run *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	struct plot_strategy *ps = &r->st[0];
	size_t n = nclusters * per;
	r->nstrategies = 1;
	r->dir = (char *)"fake";
	r->have = PLOT_FILE_HOSTS | PLOT_FILE_TIMELINE;
	r->sum.scenario_name = (char *)"fake";
	r->sum.scenario_file = (char *)"fake.yaml";
	r->sum.replications = 1;
	r->sum.hosts = n;
	r->sum.nstrategies = 1;
	r->sum.strategies[0].strategy = SCENARIO_STRATEGY_LIVE_PATCH;
	ps->strategy = SCENARIO_STRATEGY_LIVE_PATCH;
	ps->nhosts = n;
	ps->nclusters = nclusters;
	ps->hosts = calloc(n, sizeof(*ps->hosts));
	ps->clusters = calloc(nclusters, sizeof(*ps->clusters));
	ps->nspans = 2 * n;
	ps->spans = calloc(2 * n, sizeof(*ps->spans));
	assert_true(ps->hosts && ps->clusters && ps->spans);
	for (size_t c = 0; c < nclusters; c++) {
		char *name = malloc(64);
		assert_non_null(name);
		if (cluster_name)
			snprintf(name, 64, "%s", cluster_name);
		else
			snprintf(name, 64, "cl-%04zu", c);
		ps->clusters[c] = name;
		for (size_t i = 0; i < per; i++) {
			size_t k = c * per + i;
			struct plot_host *h = &ps->hosts[k];
			char *hn = malloc(64);
			assert_non_null(hn);
			if (host_name)
				snprintf(hn, 64, "%s", host_name);
			else
				snprintf(hn, 64, "esx-%zu-%zu", c, i);
			h->name = hn;
			h->cluster = name;
			h->cluster_idx = (uint32_t)c;
			h->path = REC_PATH_LIVE;
			h->attempts = 1;
			h->start_s = 60.0 * (double)i;
			h->end_s = h->start_s + 50 + (double)c;
			bool bad = failed && i < failed[c];
			h->outcome = bad ? REC_FAILED : REC_COMPLIANT;
			h->compliant_at_s = bad ? (double)NAN : h->end_s;
			ps->spans[2 * k] = (struct plot_span){(uint32_t)k, REC_ST_PENDING, 0, h->start_s};
			ps->spans[2 * k + 1] = (struct plot_span){(uint32_t)k, bad ? REC_ST_FAILED : REC_ST_PATCHING,
								  h->start_s, h->end_s};
		}
	}
	return r;
}

static void free_fake_run(struct plot_run *r)
{
	struct plot_strategy *ps = &r->st[0];
	for (size_t i = 0; i < ps->nhosts; i++)
		free((char *)(uintptr_t)ps->hosts[i].name);
	for (size_t c = 0; c < ps->nclusters; c++)
		free((char *)(uintptr_t)ps->clusters[c]);
	free(ps->hosts);
	free(ps->clusters);
	free(ps->spans);
	free(r);
}

/* The HTML report of r as a string (free it). */
static char *html_of(const struct plot_run *r, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	struct report_html_opts o;
	report_html_opts_default(&o);
	o.window_s = 3600;
	assert_int_equal(report_html_write(f, r, NULL, &o), 0);
	assert_int_equal(fclose(f), 0);
	*len = n;
	return buf;
}

static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_html_report_escapes_names_and_fetches_nothing(void **state)
{
	(void)state;
	struct plot_run *r = fake_run(1, 3, NULL, "a&b\"c", "<img src=x onerror=alert(1)>");
	size_t len;
	char *h = html_of(r, &len);
	assert_null(strstr(h, "<img"));
	assert_non_null(strstr(h, "&lt;img src=x onerror=alert(1)&gt;"));
	assert_non_null(strstr(h, "data-cluster=\"a&amp;b&quot;c\""));
	assert_null(strstr(h, "http:"));
	assert_null(strstr(h, "https:"));
	assert_null(strstr(h, "<link"));
	assert_non_null(strstr(h, "default-src 'none'"));
	/* a lane per host, its tooltip, the window line */
	assert_int_equal(occurrences(h, "class=\"row lane\""), 3);
	assert_int_equal(occurrences(h, "<title>&lt;img"), 3);
	assert_non_null(strstr(h, "class=\"win\""));
	free(h);
	free_fake_run(r);
}

static void test_html_report_of_many_hosts_is_aggregated_and_bounded(void **state)
{
	(void)state;
	size_t failed[400] = {0};
	failed[123] = 5; /* the worst cluster */
	failed[7] = 2;
	struct plot_run *r = fake_run(400, 80, failed, NULL, NULL); /* 32,000 hosts */
	size_t len;
	char *h = html_of(r, &len);
	assert_true(len < 2000000);
	assert_int_equal(occurrences(h, "class=\"row lane\""), REPORT_HTML_CLUSTER_LANES);
	/* the worst cluster is the first lane, the next worst the second */
	const char *l1 = strstr(h, "class=\"row lane\" data-cluster=\"");
	assert_non_null(l1);
	assert_int_equal(strncmp(l1 + 31, "cl-0123\"", 8), 0);
	const char *l2 = strstr(l1 + 1, "class=\"row lane\" data-cluster=\"");
	assert_int_equal(strncmp(l2 + 31, "cl-0007\"", 8), 0);
	/* hosts listed: the 7 failed and the latest, not 32,000 */
	const char *hosts = strstr(h, "id=\"hosts\"");
	assert_non_null(hosts);
	const char *end = strstr(hosts, "</table>");
	size_t rows = 0;
	for (const char *p = strstr(hosts, "<tr data-strategy"); p && p < end;
	     p = strstr(p + 1, "<tr data-strategy"))
		rows++;
	assert_int_equal(rows, 8);
	assert_non_null(strstr(h, "esx-123-4"));
	assert_non_null(strstr(h, "class=\"dist\""));
	free(h);
	free_fake_run(r);
}

static void test_html_report_is_chosen_by_extension(void **state)
{
	(void)state;
	assert_true(report_html_path("r.html"));
	assert_true(report_html_path("dir.x/R.HTM"));
	assert_false(report_html_path("r.pdf"));
	assert_false(report_html_path("r.html/x"));
	assert_false(report_html_path("html"));
}

static void test_timeline_labels_the_hosts_that_matter_with_their_reason(void **state)
{
	(void)state;
	/* 150 lanes: too thin for a label each; hosts 0-2 failed, 149 finished last */
	size_t failed[1] = {3};
	struct plot_run *r = fake_run(1, 150, failed, NULL, NULL);
	struct plot_source src = {r, NULL};
	struct plot_opts o;
	plot_opts_default(&o);
	struct plot_layout lay;
	cairo_surface_t *s = render(&src, PLOT_TIMELINE, &o, &lay);
	assert_false(lay.aggregated);
	assert_int_equal(lay.nmatter, 4);
	assert_int_equal(lay.nreasons, 0); /* lanes too thin to write on */
	cairo_surface_destroy(s);
	free_fake_run(r);
	/* 12 lanes: every host labelled, the 2 failed ones with their reason on the lane */
	failed[0] = 2;
	r = fake_run(1, 12, failed, NULL, NULL);
	src.run = r;
	s = render(&src, PLOT_TIMELINE, &o, &lay);
	assert_int_equal(lay.nmatter, 2);
	assert_int_equal(lay.nreasons, 2);
	cairo_surface_destroy(s);
	free_fake_run(r);
}

static void test_timeline_draws_the_window_and_shares_its_axis_on_request(void **state)
{
	(void)state;
	struct plot_run *r = load_run(RUN, PLOT_FILE_ALL);
	struct plot_source src = {r, NULL};
	struct plot_opts o;
	plot_opts_default(&o);
	struct plot_layout lay;
	cairo_surface_t *s = render(&src, PLOT_TIMELINE, &o, &lay);
	assert_true(lay.own_axes); /* 8 min against 65 min: each its own axis */
	assert_false(lay.window);
	size_t before = colored(s, lay.area, PLOT_VERMILLION);
	cairo_surface_destroy(s);
	o.time_axis = PLOT_TIME_SHARED;
	o.window_s = 5 * 60;
	s = render(&src, PLOT_TIMELINE, &o, &lay);
	assert_false(lay.own_axes);
	assert_true(lay.window);
	assert_true(colored(s, lay.area, PLOT_VERMILLION) > before + 100);
	cairo_surface_destroy(s);
	plot_run_free(r);
}

static void test_sweep_parameters_read_in_words(void **state)
{
	(void)state;
	char b[160];
	assert_string_equal(plot_param_words("vcenter.remediation.parallel.max_hosts", b, sizeof(b)),
	                    "max hosts in parallel");
	assert_string_equal(plot_param_words("clusters[0].vms[web-%03d].count", b, sizeof(b)),
	                    "web VMs per cluster");
	assert_string_equal(plot_param_words("clusters[1].hosts[esx].count", b, sizeof(b)),
	                    "esx hosts per cluster");
	assert_string_equal(plot_param_words("hardware.vmotion.max_concurrent", b, sizeof(b)),
	                    "concurrent vMotions per host");
	assert_string_equal(plot_param_words("faults.some_new_knob", b, sizeof(b)), "some new knob");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv_reads_quoted_fields_crlf_and_blank_lines),
	    cmocka_unit_test(test_csv_reports_an_unterminated_quote_at_its_line),
	    cmocka_unit_test(test_csv_numbers_fast_path_equals_strtod),
	    cmocka_unit_test(test_durations_read_in_human_units),
	    cmocka_unit_test(test_durations_are_written_in_the_unit_they_report),
	    cmocka_unit_test(test_charts_name_the_files_they_need),
	    cmocka_unit_test(test_time_axes_pick_unit_and_nice_steps),
	    cmocka_unit_test(test_run_directory_is_read_back),
	    cmocka_unit_test(test_bad_run_directories_are_errors_with_place),
	    cmocka_unit_test(test_timeline_draws_lanes_legend_and_ticks),
	    cmocka_unit_test(test_timeline_of_many_hosts_draws_cluster_lanes),
	    cmocka_unit_test(test_compliance_draws_median_band_and_markers),
	    cmocka_unit_test(test_downtime_draws_a_panel_per_strategy_and_kind_curves),
	    cmocka_unit_test(test_charts_without_their_file_are_refused),
	    cmocka_unit_test(test_sweep_chart_draws_series_error_bars_and_window),
	    cmocka_unit_test(test_sweep_points_are_matched_to_the_first_equal_value),
	    cmocka_unit_test(test_sweep_point_lookups_cost_about_the_points),
	    cmocka_unit_test(test_plot_save_writes_each_format_whole),
	    cmocka_unit_test(test_png_writer_keeps_every_pixel),
	    cmocka_unit_test(test_report_of_a_run_has_its_pages),
	    cmocka_unit_test(test_report_doc_keeps_its_first_error_and_not_a_chart_refused),
	    cmocka_unit_test(test_report_of_a_sweep_has_its_pages),
	    cmocka_unit_test(test_html_report_escapes_names_and_fetches_nothing),
	    cmocka_unit_test(test_html_report_of_many_hosts_is_aggregated_and_bounded),
	    cmocka_unit_test(test_html_report_is_chosen_by_extension),
	    cmocka_unit_test(test_sweep_parameters_read_in_words),
	    cmocka_unit_test(test_timeline_labels_the_hosts_that_matter_with_their_reason),
	    cmocka_unit_test(test_timeline_draws_the_window_and_shares_its_axis_on_request),
	};
	return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
