/*
 * Tests of scenarios/import*: CSV reading (header matching, delimiters,
 * quoting, encodings, positions), value parsing (ESXi versions, FT states,
 * sizes), the name rule, the writer's placement decisions, and the exact
 * text of error messages. Every scenario an import writes is loaded back
 * with the real loader and placement, as `lpsim validate` does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "models/estate.h"
#include "scenarios/import.h"
#include "scenarios/import_csv.h"
#include "scenarios/import_estate.h"
#include "scenarios/import_map.h"
#include "scenarios/import_rvtabs.h"

/* ---- helpers
 * ------------------------------------------------------------------ */

/* An import of in-memory files; NULL data means the file is not given. */
struct run {
  struct ilog log;
  struct import_result res;
  int rc;
};

static void run_import(struct run *x, enum import_format f, const char *vms,
                       const char *hosts, const char *network,
                       const char *disks) {
  struct import_request rq = {
      .format = f,
      .vms = {"vms.csv", vms, vms ? strlen(vms) : 0},
      .hosts = {"hosts.csv", hosts, hosts ? strlen(hosts) : 0},
      .network = {"vnetwork.csv", network, network ? strlen(network) : 0},
      .disks = {"vdisk.csv", disks, disks ? strlen(disks) : 0},
      .scenario_name = "t",
  };
  ilog_init(&x->log);
  x->rc = import_run(&rq, &x->log, &x->res);
}

/* An RVTools import with the cluster tabs; NULL means the file is not given. */
static void run_tabs(struct run *x, const char *vinfo, const char *vhost,
                     const char *vcluster, const char *vdatastore,
                     const char *vsource) {
  struct import_request rq = {
      .format = IMPORT_RVTOOLS,
      .vms = {"vms.csv", vinfo, strlen(vinfo)},
      .hosts = {"hosts.csv", vhost, vhost ? strlen(vhost) : 0},
      .vcluster = {"vcluster.csv", vcluster, vcluster ? strlen(vcluster) : 0},
      .vdatastore = {"vdatastore.csv", vdatastore,
                     vdatastore ? strlen(vdatastore) : 0},
      .vsource = {"vsource.csv", vsource, vsource ? strlen(vsource) : 0},
      .scenario_name = "t",
  };
  ilog_init(&x->log);
  x->rc = import_run(&rq, &x->log, &x->res);
}

static void run_fini(struct run *x) {
  import_result_fini(&x->res);
  ilog_fini(&x->log);
}

/* The error lines of a failed import, joined by newlines. */
static char *errors_of(const struct run *x) {
  size_t len = 1;
  for (size_t i = 0; i < x->log.nerrors; i++)
    len += strlen(x->log.errors[i]) + 1;
  char *s = calloc(1, len);
  assert_non_null(s);
  for (size_t i = 0; i < x->log.nerrors; i++) {
    strcat(s, x->log.errors[i]);
    strcat(s, "\n");
  }
  return s;
}

static void assert_errors(const struct run *x, const char *want) {
  assert_int_equal(x->rc, -EINVAL);
  assert_null(x->res.yaml);
  char *got = errors_of(x);
  assert_string_equal(got, want);
  free(got);
}

/* Whether the import warned exactly this. */
static bool has_warning(const struct run *x, const char *text) {
  for (size_t i = 0; i < x->log.nwarnings; i++)
    if (!strcmp(x->log.warnings[i], text))
      return true;
  for (size_t i = 0; i < x->log.nwarnings; i++)
    fprintf(stderr, "warning: %s\n", x->log.warnings[i]);
  return false;
}

/* Loads the written scenario as `lpsim validate` does; returns it (free with
 * scenario_free). */
static struct scenario *load_written(const struct run *x) {
  if (x->rc != 0) {
    for (size_t i = 0; i < x->log.nerrors; i++)
      fprintf(stderr, "%s\n", x->log.errors[i]);
  }
  assert_int_equal(x->rc, 0);
  assert_non_null(x->res.yaml);
  struct diag d;
  struct scenario *s = NULL;
  diag_init(&d, "written.yaml");
  int rc =
      scenario_load_buffer(x->res.yaml, x->res.len, "written.yaml", &d, &s);
  if (rc == 0)
    rc = estate_check(s, &d);
  if (rc != 0 || diag_failed(&d)) {
    diag_print(&d, stderr);
    fputs(x->res.yaml, stderr);
  }
  assert_int_equal(rc, 0);
  assert_false(diag_failed(&d));
  diag_fini(&d);
  return s;
}

static const struct scenario_vm *find_vm(const struct scenario_cluster *c,
                                         const char *pattern) {
  for (size_t i = 0; i < c->nvms; i++)
    if (!strcmp(c->vms[i].name, pattern))
      return &c->vms[i];
  fail_msg("no VM entry '%s'", pattern);
  return NULL;
}

static const struct scenario_cluster *find_cluster(const struct scenario *s,
                                                   const char *name) {
  for (size_t i = 0; i < s->nclusters; i++)
    if (!strcmp(s->clusters[i].name, name))
      return &s->clusters[i];
  fail_msg("no cluster '%s'", name);
  return NULL;
}

/* The name of the host a VM entry is pinned to, or NULL. */
static const char *pin_of(const struct scenario_cluster *c,
                          const struct scenario_vm *vm) {
  return vm->pin_entry >= 0 ? c->hosts[vm->pin_entry].name : NULL;
}

#define VINFO_HDR "VM,Powerstate,Template,CPUs,Memory,Host,Cluster,FT State\n"
#define VHOST_HDR "Host,Cluster,# Cores,# Memory,ESX Version\n"

/* ---- CSV
 * ------------------------------------------------------------------------ */

static void test_import_header_matches_variants_case_and_spacing(void **state) {
  (void)state;
  assert_true(icsv_header_match("In Use MiB", "In Use MiB|In Use MB"));
  assert_true(icsv_header_match("In Use MB", "In Use MiB|In Use MB"));
  assert_true(icsv_header_match("  in  use\tmib ", "In Use MiB|In Use MB"));
  assert_true(icsv_header_match("\xef\xbb\xbfVM", "VM"));
  assert_true(icsv_header_match("POWERSTATE", "Powerstate"));
  assert_false(icsv_header_match("In Use", "In Use MiB|In Use MB"));
  assert_false(icsv_header_match("VM ID", "VM"));
  assert_false(icsv_header_match("VM", "VM ID"));
  assert_false(icsv_header_match("", "VM"));
}

static void
test_import_delimiter_is_the_most_frequent_outside_quotes(void **state) {
  (void)state;
  const char *comma = "VM,Powerstate,CPUs\n";
  const char *semi = "VM;Powerstate;CPUs;\"a,b,c,d\"\n";
  const char *tab = "VM\tPowerstate\tCPUs\n";
  const char *quoted = "\"a;b;c\",d\n";
  const char *second_line = "a;b\nc,d,e,f,g\n";
  assert_int_equal(icsv_detect_delim(comma, strlen(comma)), ',');
  assert_int_equal(icsv_detect_delim(semi, strlen(semi)), ';');
  assert_int_equal(icsv_detect_delim(tab, strlen(tab)), '\t');
  assert_int_equal(icsv_detect_delim(quoted, strlen(quoted)), ',');
  assert_int_equal(icsv_detect_delim(second_line, strlen(second_line)), ';');
  assert_int_equal(icsv_detect_delim("VM", 2), ',');
  assert_int_equal(icsv_detect_delim("a;b,c", 5), ','); /* a tie goes to ',' */
}

static const struct icsv_column cols3[] = {
    {"VM", true},
    {"Memory|Memory MiB", true},
    {"Annotation", false},
};

static void test_import_csv_reads_columns_by_name_in_any_order(void **state) {
  (void)state;
  const char *csv =
      "Extra,Memory "
      "MiB,Other,VM\nx,1024,y,web-01\nx,2048,y,web-02,surplus\nx,4096\n";
  struct ilog log;
  struct icsv_table *t;
  ilog_init(&log);
  assert_int_equal(
      icsv_read(csv, strlen(csv), "f.csv", "a test", cols3, 3, &log, &t), 0);
  assert_false(ilog_failed(&log));
  assert_int_equal(t->delim, ',');
  assert_int_equal(t->nheader, 4);
  assert_int_equal(t->col[0], 3);
  assert_int_equal(t->col[1], 1);
  assert_int_equal(t->col[2], -1);
  assert_false(icsv_has(t, 2));
  assert_string_equal(t->col_name[1], "Memory MiB");
  assert_string_equal(t->col_name[2],
                      "Annotation"); /* absent: its first name */
  assert_int_equal(t->nrows, 3);
  assert_string_equal(icsv_get(t, 0, 0), "web-01");
  assert_string_equal(icsv_get(t, 1, 1), "2048");
  assert_string_equal(icsv_get(t, 1, 0), "web-02");
  assert_string_equal(icsv_get(t, 2, 0), ""); /* a short row */
  assert_string_equal(icsv_get(t, 2, 2), "");
  icsv_free(t);
  ilog_fini(&log);
}

static void
test_import_csv_survives_quoting_torture_with_exact_positions(void **state) {
  (void)state;
  /* BOM, CRLF, a quoted delimiter, doubled quotes, quoted line breaks (LF and
   * CRLF), a blank line between rows, spaces around unquoted fields. */
  const char *csv = "\xef\xbb\xbfVM,Annotation,Memory\r\n"
                    "\"web \"\"a\"\", b\",\"line 1\nline 2\",1024\r\n"
                    "\r\n"
                    "  db  ,\"x\r\ny\r\nz\",  2048 \r\n"
                    "\"last\",,\"4096\"";
  struct ilog log;
  struct icsv_table *t;
  ilog_init(&log);
  assert_int_equal(
      icsv_read(csv, strlen(csv), "f.csv", "a test", cols3, 3, &log, &t), 0);
  assert_int_equal(t->encoding, ICSV_UTF8_BOM);
  assert_int_equal(t->nrows, 3);
  assert_string_equal(icsv_get(t, 0, 0), "web \"a\", b");
  assert_string_equal(icsv_get(t, 0, 2), "line 1\nline 2");
  assert_string_equal(icsv_get(t, 1, 0), "db");
  assert_string_equal(icsv_get(t, 1, 2), "x\r\ny\r\nz");
  assert_string_equal(icsv_get(t, 1, 1), "2048");
  assert_string_equal(icsv_get(t, 2, 0), "last");
  assert_string_equal(icsv_get(t, 2, 1), "4096");
  /* Lines: header 1; row 1 on lines 2-3; line 4 blank; row 2 on 5-7; row 3
   * on 8. */
  assert_int_equal(t->header_line, 1);
  assert_int_equal(t->rows[0].line, 2);
  assert_int_equal(t->rows[1].line, 5);
  assert_int_equal(t->rows[2].line, 8);
  /* Records: the spreadsheet's rows, the header being row 1. */
  assert_int_equal(t->rows[0].record, 2);
  assert_int_equal(t->rows[1].record, 3);
  assert_int_equal(t->rows[2].record, 4);
  icsv_free(t);
  ilog_fini(&log);
}

static void test_import_csv_skips_the_type_line_of_export_csv(void **state) {
  (void)state;
  const char *csv =
      "#TYPE "
      "VMware.VimAutomation.ViCore.Impl.V1.VM.UniversalVirtualMachineImpl\r\n"
      "\"Memory\",\"VM\"\r\n\"16\",\"app-01\"\r\n";
  struct ilog log;
  struct icsv_table *t;
  ilog_init(&log);
  assert_int_equal(
      icsv_read(csv, strlen(csv), "f.csv", "a test", cols3, 3, &log, &t), 0);
  assert_true(t->type_line);
  assert_int_equal(t->header_line, 2);
  assert_int_equal(t->nrows, 1);
  assert_int_equal(t->rows[0].line, 3);
  assert_int_equal(t->rows[0].record, 3);
  assert_string_equal(icsv_get(t, 0, 0), "app-01");
  icsv_free(t);
  ilog_fini(&log);
}

static void test_import_decodes_utf16_and_windows_1252(void **state) {
  (void)state;
  char *out;
  size_t len;
  enum icsv_encoding enc;
  /* UTF-16LE "VM\né" and a surrogate pair (U+1F600), UTF-16BE "é". */
  const char le[] = "\xff\xfeV\0M\0\n\0\xe9\0\x3d\xd8\x00\xde";
  assert_int_equal(icsv_decode(le, sizeof(le) - 1, &out, &len, &enc), 0);
  assert_int_equal(enc, ICSV_UTF16LE);
  assert_string_equal(out, "VM\n\xc3\xa9\xf0\x9f\x98\x80");
  free(out);
  const char be[] = "\xfe\xff\0\xe9";
  assert_int_equal(icsv_decode(be, sizeof(be) - 1, &out, &len, &enc), 0);
  assert_int_equal(enc, ICSV_UTF16BE);
  assert_string_equal(out, "\xc3\xa9");
  free(out);
  /* Not UTF-8: "caf\xe9 \x80" is café € in Windows-1252. */
  const char ansi[] = "caf\xe9 \x80";
  assert_int_equal(icsv_decode(ansi, sizeof(ansi) - 1, &out, &len, &enc), 0);
  assert_int_equal(enc, ICSV_WINDOWS1252);
  assert_string_equal(out, "caf\xc3\xa9 \xe2\x82\xac");
  free(out);
  /* Valid UTF-8 stays as it is. */
  assert_int_equal(icsv_decode("caf\xc3\xa9", 5, &out, &len, &enc), 0);
  assert_int_equal(enc, ICSV_UTF8);
  assert_int_equal(len, 5);
  free(out);
  assert_true(icsv_valid_utf8("\xf0\x9f\x98\x80", 4));
  assert_false(icsv_valid_utf8("\xc0\xaf", 2));     /* overlong '/' */
  assert_false(icsv_valid_utf8("\xed\xa0\x80", 3)); /* a surrogate */
  assert_false(icsv_valid_utf8("\xe9", 1));
}

/* ---- values
 * ---------------------------------------------------------------------- */

static uint32_t esx(const char *s) {
  uint32_t v = 0;
  assert_true(import_parse_esx_version(s, &v));
  return v;
}

static void
test_import_parses_esx_versions_as_exports_write_them(void **state) {
  (void)state;
  assert_int_equal(esx("VMware ESXi 8.0.3 build-24022510"),
                   SCENARIO_VERSION(8, 0, 3));
  assert_int_equal(esx("VMware ESXi 7.0.3 build-21930508"),
                   SCENARIO_VERSION(7, 0, 3));
  assert_int_equal(esx("VMware ESXi 6.7.0 build-8169922"),
                   SCENARIO_VERSION(6, 7, 0));
  assert_int_equal(esx("8.0.3"), SCENARIO_VERSION(8, 0, 3));
  assert_int_equal(esx("8.0.3.0"), SCENARIO_VERSION(8, 0, 3));
  assert_int_equal(esx("8.0 U3"), SCENARIO_VERSION(8, 0, 3));
  assert_int_equal(esx("8.0U2"), SCENARIO_VERSION(8, 0, 2));
  assert_int_equal(esx("VMware ESXi 7.0 Update 3"), SCENARIO_VERSION(7, 0, 3));
  assert_int_equal(esx("9.0"), SCENARIO_VERSION(9, 0, 0));
  uint32_t v;
  assert_false(import_parse_esx_version("", &v));
  assert_false(import_parse_esx_version("VMware ESXi", &v));
  assert_false(import_parse_esx_version("8", &v));
  assert_false(import_parse_esx_version("build-24022510", &v));
  assert_false(import_parse_esx_version("1000.0.0", &v));
}

static void
test_import_ft_states_running_enabled_starting_needsecondary_mean_ft(
    void **state) {
  (void)state;
  assert_int_equal(import_ft_state("running"), 1);
  assert_int_equal(import_ft_state("enabled"), 1);
  assert_int_equal(import_ft_state("starting"), 1);
  assert_int_equal(import_ft_state("needSecondary"), 1);
  assert_int_equal(import_ft_state("NEEDSECONDARY"), 1);
  assert_int_equal(import_ft_state(" running "), 1);
  assert_int_equal(import_ft_state("notConfigured"), 0);
  assert_int_equal(import_ft_state("disabled"), 0);
  assert_int_equal(import_ft_state(""), 0);
  assert_int_equal(import_ft_state("protected"), -1);
}

static void test_import_sizes_in_mib_become_gb(void **state) {
  (void)state;
  double v;
  assert_true(import_mib_to_gb(1024) == 1.0);
  assert_true(import_mib_to_gb(1536) == 1.5);
  assert_true(import_mib_to_gb(1) == 0.0009765625);
  assert_true(import_mib_to_gb(1048576) == 1024.0);
  assert_true(import_parse_size("16384", false, &v) && v == 16384);
  assert_true(import_parse_size(" 0.5 ", false, &v) && v == 0.5);
  assert_true(import_parse_size("24,5", true, &v) && v == 24.5);
  assert_false(import_parse_size("24,5", false, &v));
  assert_false(import_parse_size("-1", false, &v));
  assert_false(import_parse_size("1e3", false, &v));
  assert_false(import_parse_size("1.024.000", false, &v));
  assert_false(import_parse_size("", false, &v));
  assert_false(import_parse_size(".", false, &v));
  long n;
  assert_true(import_parse_whole("4096", 4096, &n) && n == 4096);
  assert_false(import_parse_whole("4097", 4096, &n));
  assert_false(import_parse_whole("4.0", 4096, &n));
  assert_false(import_parse_whole("+4", 4096, &n));
  assert_false(import_parse_whole("99999999999999999999999", 4096, &n));
}

static void test_import_power_states_and_booleans(void **state) {
  (void)state;
  enum scenario_power p;
  bool b;
  assert_true(import_parse_power("poweredOn", &p) && p == SCENARIO_POWER_ON);
  assert_true(import_parse_power("PoweredOff", &p) && p == SCENARIO_POWER_OFF);
  assert_true(import_parse_power("Suspended", &p) &&
              p == SCENARIO_POWER_SUSPENDED);
  assert_false(import_parse_power("running", &p));
  assert_true(import_parse_bool("True", &b) && b);
  assert_true(import_parse_bool("FALSE", &b) && !b);
  assert_true(import_parse_bool("", &b) && !b);
  assert_false(import_parse_bool("maybe", &b));
}

static void test_import_scenario_names_from_output_paths(void **state) {
  (void)state;
  char buf[SCENARIO_MAX_NAME_LEN + 1];
  import_scenario_name_from_path("out/prod east.yaml", buf, sizeof(buf));
  assert_string_equal(buf, "prod-east");
  import_scenario_name_from_path(".hidden.yaml", buf, sizeof(buf));
  assert_string_equal(buf, "hidden");
  import_scenario_name_from_path("dir/", buf, sizeof(buf));
  assert_string_equal(buf, "imported");
  assert_true(scenario_name_ok("prod-east_1.2"));
  assert_false(scenario_name_ok(".x"));
  assert_false(scenario_name_ok("a b"));
  assert_false(scenario_name_ok(""));
}

/* ---- names
 * ------------------------------------------------------------------------ */

static void test_import_name_rule_maps_what_names_cannot_hold(void **state) {
  (void)state;
  char out[SCENARIO_MAX_NAME_LEN + 1];
  assert_false(
      iestate_map_name("web-01 caf\xc3\xa9 %d\\x", out, SCENARIO_MAX_NAME_LEN));
  assert_string_equal(out, "web-01 caf\xc3\xa9 %d\\x");
  assert_true(iestate_map_name("a/b,c\"d[e]f", out, SCENARIO_MAX_NAME_LEN));
  assert_string_equal(out, "a_b_c_d_e_f");
  assert_true(
      iestate_map_name("tab\there\nnl\x7f", out, SCENARIO_MAX_NAME_LEN));
  assert_string_equal(out, "tab_here_nl_");
  /* C1 controls, NEL, line and paragraph separators, BOM, bad UTF-8: one '_'
   * each. */
  assert_true(iestate_map_name("a\xc2\x85"
                               "b\xe2\x80\xa8"
                               "c\xef\xbb\xbf"
                               "d\xff"
                               "e",
                               out, SCENARIO_MAX_NAME_LEN));
  assert_string_equal(out, "a_b_c_d_e");
  assert_true(iestate_map_name("", out, SCENARIO_MAX_NAME_LEN));
  assert_string_equal(out, "unnamed");
  /* 200 'é' are 400 bytes: cut on a character boundary at 254. */
  char longname[401];
  for (int i = 0; i < 200; i++)
    memcpy(longname + 2 * i, "\xc3\xa9", 2);
  longname[400] = '\0';
  assert_true(iestate_map_name(longname, out, SCENARIO_MAX_NAME_LEN));
  assert_int_equal(strlen(out), 254);
  assert_true(icsv_valid_utf8(out, strlen(out)));
}

static void test_import_map_holds_keys_and_grows(void **state) {
  (void)state;
  struct imap *m = imap_new();
  assert_non_null(m);
  char key[32];
  for (long i = 0; i < 5000; i++) {
    snprintf(key, sizeof(key), "k%ld", i);
    assert_int_equal(imap_put(m, key, i), 0);
  }
  assert_int_equal(imap_size(m), 5000);
  assert_int_equal(imap_get(m, "k4321"), 4321);
  assert_int_equal(imap_get(m, "k5000"), -1);
  assert_int_equal(imap_put(m, "k7", 70), 0);
  assert_int_equal(imap_get(m, "k7"), 70);
  assert_int_equal(imap_size(m), 5000);
  imap_free(m);
  imap_free(NULL);
}

/* ---- whole imports
 * ---------------------------------------------------------------- */

static void
test_import_rvtools_writes_a_scenario_the_loader_accepts(void **state) {
  (void)state;
  const char *vinfo =
      VINFO_HDR "web-01,poweredOn,False,4,16384,h1,prod,notConfigured\n"
                "app/db%,poweredOff,False,2,4096,h2,prod,\n"
                "app/db%,poweredOn,False,2,4096,h2,prod,\n"
                "tmpl,poweredOff,True,2,4096,h1,prod,\n"
                "ft,poweredOn,False,2,2048,h2,prod,running\n";
  const char *vhost =
      VHOST_HDR "h1,prod,16,65536,VMware ESXi 8.0.3 build-24022510\n"
                "h2,prod,16,65536,VMware ESXi 7.0.3 build-21930508\n";
  struct run x;
  run_import(&x, IMPORT_RVTOOLS, vinfo, vhost, NULL, NULL);
  struct scenario *s = load_written(&x);
  assert_int_equal(s->total_clusters, 1);
  assert_int_equal(s->total_hosts, 2);
  assert_int_equal(s->total_vms, 3); /* the powered-off one has count: 0 */
  assert_int_equal(x.res.skipped_templates, 1);
  assert_int_equal(x.res.stats.renamed, 2);
  const struct scenario_cluster *c = find_cluster(s, "prod");
  assert_int_equal(c->hosts[1].version, SCENARIO_VERSION(7, 0, 3));
  assert_true(c->hosts[0].memory_gb == 64.0);
  assert_int_equal(c->hosts[0].cores, 16);
  /* Powered-on VMs first; '%' written as "%%", the second 'app/db%' made
   * unique. */
  assert_string_equal(c->vms[0].name, "web-01");
  assert_string_equal(c->vms[1].name, "app_db%%~2");
  assert_string_equal(c->vms[2].name, "ft");
  assert_string_equal(c->vms[3].name, "app_db%%");
  assert_true(c->vms[2].ft);
  assert_int_equal(c->vms[3].power, SCENARIO_POWER_OFF);
  assert_int_equal(c->vms[3].count, 0);
  assert_null(pin_of(c, &c->vms[3]));
  assert_string_equal(pin_of(c, &c->vms[0]), "h1");
  assert_string_equal(c->vms[0].host, "h1");
  assert_string_equal(pin_of(c, &c->vms[1]), "h2");
  assert_true(c->vms[0].memory_gb == 16.0);
  assert_non_null(strstr(x.res.yaml, "# export name: app/db%\n"));
  scenario_free(s);
  run_fini(&x);
}

static void test_import_pins_only_where_the_host_has_room(void **state) {
  (void)state;
  /* h1: 64 GB, 2 cores (8 vCPUs at 4.0). big does not fit on h1 but on h2;
   * huge fits nowhere; the FT VM needs room on a second host for its secondary.
   */
  const char *vinfo = VINFO_HDR "a,poweredOn,False,2,49152,h1,c,\n"
                                "big,poweredOn,False,2,32768,h1,c,\n"
                                "huge,poweredOn,False,2,1048576,h1,c,\n"
                                "off,poweredOff,False,1,1024,h1,c,\n";
  const char *vhost = VHOST_HDR "h1,c,2,65536,8.0.3\n"
                                "h2,c,2,65536,8.0.3\n";
  struct run x;
  run_import(&x, IMPORT_RVTOOLS, vinfo, vhost, NULL, NULL);
  struct scenario *s = load_written(&x);
  const struct scenario_cluster *c = &s->clusters[0];
  assert_string_equal(pin_of(c, find_vm(c, "a")), "h1");
  assert_null(pin_of(c, find_vm(c, "big")));
  assert_int_equal(find_vm(c, "big")->count, 1);
  assert_int_equal(find_vm(c, "huge")->count, 0);
  /* Powered off: vSphere counts no host memory for it; count: 0, not pinned. */
  assert_null(pin_of(c, find_vm(c, "off")));
  assert_int_equal(find_vm(c, "off")->count, 0);
  assert_int_equal(x.res.stats.vms, 2);
  assert_int_equal(x.res.stats.vms_pinned, 1);
  assert_int_equal(x.res.stats.vms_unplaced, 1);
  assert_int_equal(x.res.stats.vms_off, 1);
  assert_non_null(strstr(x.res.yaml, "count: 0}  # fits on no host"));
  scenario_free(s);
  run_fini(&x);

  /* One host: an FT VM has nowhere to put its secondary. */
  run_import(&x, IMPORT_RVTOOLS,
             VINFO_HDR "ft,poweredOn,False,1,1024,h1,c,running\n",
             VHOST_HDR "h1,c,2,65536,8.0.3\n", NULL, NULL);
  s = load_written(&x);
  assert_int_equal(find_vm(&s->clusters[0], "ft")->count, 0);
  scenario_free(s);
  run_fini(&x);
}

static void
test_import_raises_cpu_overcommit_to_the_exports_ratio(void **state) {
  (void)state;
  const char *vinfo = VINFO_HDR "a,poweredOn,False,16,1024,h1,c,\n"
                                "b,poweredOn,False,3,1024,h1,c,\n";
  struct run x;
  run_import(&x, IMPORT_RVTOOLS, vinfo, VHOST_HDR "h1,c,4,65536,8.0.3\n", NULL,
             NULL);
  struct scenario *s = load_written(&x);
  assert_true(s->clusters[0].cpu_overcommit == 5.0); /* 19 / 4 = 4.75 -> 5.0 */
  assert_int_equal(x.res.stats.vms_pinned, 2);
  assert_int_equal(x.res.stats.clusters_raised, 1);
  scenario_free(s);
  run_fini(&x);
}

static void test_import_infers_hosts_without_a_host_file(void **state) {
  (void)state;
  const char *vinfo = VINFO_HDR "a,poweredOn,False,40,102400,h1,c,\n"
                                "b,poweredOn,False,2,1024,h2,c,\n"
                                "solo,poweredOn,False,2,1024,h3,,\n";
  struct run x;
  run_import(&x, IMPORT_RVTOOLS, vinfo, NULL, NULL, NULL);
  struct scenario *s = load_written(&x);
  assert_int_equal(s->total_clusters, 2);
  const struct scenario_cluster *c = find_cluster(s, "c");
  /* The largest load is 100 GB and 40 vCPUs: 125 GB -> 128; 40 * 1.25 / 4
   * = 12.5 -> 16 cores. */
  assert_true(c->hosts[0].memory_gb == 128.0);
  assert_true(c->hosts[1].memory_gb == 128.0);
  assert_int_equal(c->hosts[0].cores, 16);
  assert_int_equal(c->hosts[0].version, s->vcenter_version);
  /* A standalone host is a cluster of its own, named after the host. */
  const struct scenario_cluster *solo = find_cluster(s, "h3");
  assert_int_equal(solo->nhosts, 1);
  assert_true(solo->hosts[0].memory_gb == 64.0);
  assert_int_equal(solo->hosts[0].cores, 8);
  assert_true(has_warning(
      &x, "3 hosts are not in a host export: their cores and memory are "
          "guessed from the VMs on them (see the comments in the "
          "scenario)"));
  scenario_free(s);
  run_fini(&x);
}

static void test_import_keys_use_only_columns_both_files_have(void **state) {
  (void)state;
  /* vInfo knows the vCenter and datacenter, a trimmed vHost does not: hosts
   * still match. */
  const char *vinfo =
      "VM,Powerstate,CPUs,Memory,Host,Cluster,Datacenter,VI SDK Server\n"
      "a,poweredOn,2,1024,h1,c,DC1,vc01\n";
  struct run x;
  run_import(&x, IMPORT_RVTOOLS, vinfo, VHOST_HDR "h1,c,8,65536,8.0.3\n", NULL,
             NULL);
  struct scenario *s = load_written(&x);
  assert_int_equal(s->total_clusters, 1);
  assert_string_equal(pin_of(&s->clusters[0], find_vm(&s->clusters[0], "a")),
                      "h1");
  scenario_free(s);
  run_fini(&x);

  /* A VM whose Cluster is not its host's goes with its host. */
  run_import(&x, IMPORT_RVTOOLS, VINFO_HDR "a,poweredOn,False,2,1024,h1,,\n",
             VHOST_HDR "h1,c,8,65536,8.0.3\n", NULL, NULL);
  s = load_written(&x);
  assert_int_equal(s->total_clusters, 1);
  assert_string_equal(pin_of(&s->clusters[0], find_vm(&s->clusters[0], "a")),
                      "h1");
  assert_true(has_warning(
      &x, "1 VM names another cluster than its host in hosts.csv (e.g. "
          "'a'): the host's is used"));
  scenario_free(s);
  run_fini(&x);

  /* Without a host export, a host that two clusters claim pins only the first's
   * VMs. */
  run_import(
      &x, IMPORT_RVTOOLS,
      VINFO_HDR
      "a,poweredOn,False,2,1024,h1,c1,\nb,poweredOn,False,2,1024,h1,c2,\n"
      "c,poweredOn,False,2,1024,h2,c2,\n",
      NULL, NULL, NULL);
  s = load_written(&x);
  assert_string_equal(pin_of(&s->clusters[0], find_vm(&s->clusters[0], "a")),
                      "h1");
  assert_null(pin_of(&s->clusters[1], find_vm(&s->clusters[1], "b")));
  assert_true(has_warning(
      &x, "1 VM is on a host that the VM export also shows in another "
          "cluster (e.g. 'b'): not pinned"));
  scenario_free(s);
  run_fini(&x);

  /* Both know them: the same cluster name in two datacenters makes two
   * clusters. */
  const char *vinfo2 = "VM,Powerstate,CPUs,Memory,Host,Cluster,Datacenter\n"
                       "a,poweredOn,2,1024,h1,Cluster1,DC1\n"
                       "b,poweredOn,2,1024,h2,Cluster1,DC2\n";
  const char *vhost2 =
      "Host,Cluster,Datacenter,# Cores,# Memory,ESX Version\n"
      "h1,Cluster1,DC1,8,65536,8.0.3\nh2,Cluster1,DC2,8,65536,8.0.3\n";
  run_import(&x, IMPORT_RVTOOLS, vinfo2, vhost2, NULL, NULL);
  s = load_written(&x);
  assert_int_equal(s->total_clusters, 2);
  assert_string_equal(s->clusters[0].name, "Cluster1");
  assert_string_equal(s->clusters[1].name, "Cluster1~2");
  assert_string_equal(pin_of(&s->clusters[1], &s->clusters[1].vms[0]), "h2");
  scenario_free(s);
  run_fini(&x);
}

static void
test_import_joins_vnetwork_and_vdisk_by_vm_id_or_name(void **state) {
  (void)state;
  const char *vinfo = "VM,Powerstate,CPUs,Memory,Host,Cluster,VM ID\n"
                      "gpu,poweredOn,2,1024,h1,c,vm-1\n"
                      "gpu,poweredOn,2,1024,h1,c,vm-2\n"
                      "sql,poweredOn,2,1024,h1,c,vm-3\n";
  const char *vhost = VHOST_HDR "h1,c,8,65536,8.0.3\nh2,c,8,65536,8.0.3\n";
  /* Direct Path IO is Vmxnet3's UPT flag (True by default): not read. */
  const char *vnet = "VM,VM ID,Adapter,Direct Path IO\n"
                     "gpu,vm-2,SR-IOV,False\ngpu,vm-1,Vmxnet3,True\n"
                     "sql,vm-3,Vmxnet3,True\nghost,vm-9,PCIPassthru,False\n";
  const char *vdisk = "VM;Sharing mode;Shared Bus\nsql;sharingNone;noSharing\n"
                      "sql;sharingNone;virtualSharing\n";
  struct run x;
  run_import(&x, IMPORT_RVTOOLS, vinfo, vhost, vnet, vdisk);
  struct scenario *s = load_written(&x);
  const struct scenario_cluster *c = &s->clusters[0];
  assert_false(find_vm(c, "gpu")->directpath);  /* vm-1 */
  assert_true(find_vm(c, "gpu~2")->directpath); /* vm-2 */
  assert_true(find_vm(c, "sql")->shared_disk);
  assert_false(find_vm(c, "sql")->directpath);
  assert_true(
      has_warning(&x, "vnetwork.csv: 1 row with an SR-IOV or passthrough NIC "
                      "finds no single imported VM (e.g. 'ghost'): ignored"));
  assert_true(has_warning(
      &x, "1 name changed to fit the format's rules (e.g. 'gpu'); the "
          "export name is in a comment"));
  scenario_free(s);
  run_fini(&x);

  /* Without VM ID, by name: every VM of that name gets the flag. */
  run_import(&x, IMPORT_RVTOOLS, vinfo, vhost,
             "VM,Adapter,Direct Path IO\ngpu,PCIPassthru,False\n", NULL);
  s = load_written(&x);
  assert_true(find_vm(&s->clusters[0], "gpu")->directpath);
  assert_true(find_vm(&s->clusters[0], "gpu~2")->directpath);
  scenario_free(s);
  run_fini(&x);
}

static void
test_import_reads_sriov_and_passthrough_adapters_not_direct_path_io(
    void **state) {
  (void)state;
  const char *vinfo = VINFO_HDR "upt,poweredOn,False,2,1024,h1,c,\n"
                                "nfv,poweredOn,False,2,1024,h1,c,\n"
                                "pci,poweredOn,False,2,1024,h1,c,\n"
                                "legacy,poweredOn,False,2,1024,h1,c,\n";
  /* Direct Path IO is True on Vmxnet3 NICs by default (the UPT flag). */
  const char *vnet = "VM,NIC label,Adapter,Direct Path IO\n"
                     "upt,Network adapter 1,Vmxnet3,True\n"
                     "nfv,Network adapter 1,Vmxnet3,True\n"
                     "nfv,Network adapter 2,SR-IOV,False\n"
                     "pci,Network adapter 1,PCIPassthru,False\n"
                     "legacy,Network adapter 1,E1000e,True\n";
  struct run x;
  run_import(&x, IMPORT_RVTOOLS, vinfo, VHOST_HDR "h1,c,8,65536,8.0.3\n", vnet,
             NULL);
  struct scenario *s = load_written(&x);
  const struct scenario_cluster *c = &s->clusters[0];
  assert_false(find_vm(c, "upt")->directpath);
  assert_true(find_vm(c, "nfv")->directpath);
  assert_true(find_vm(c, "pci")->directpath);
  assert_false(find_vm(c, "legacy")->directpath);
  assert_non_null(strstr(x.res.yaml, "# vNetwork: an SR-IOV NIC\n"));
  assert_non_null(strstr(x.res.yaml, "# vNetwork: a PCI passthrough NIC\n"));
  scenario_free(s);
  run_fini(&x);

  /* vNetwork from a run by name, vInfo from a run by IP: the VM ID alone
   * finds the VM when one VM only has it. */
  run_import(&x, IMPORT_RVTOOLS,
             "VM,Powerstate,CPUs,Memory,Host,Cluster,VM ID,VI SDK Server\n"
             "nfv,poweredOn,2,1024,h1,c,vm-7,10.0.0.5\n"
             "twin,poweredOn,2,1024,h1,c,vm-8,10.0.0.5\n"
             "twin,poweredOn,2,1024,h1,c,vm-8,10.0.0.6\n",
             VHOST_HDR "h1,c,8,65536,8.0.3\n",
             "VM,Adapter,VM ID,VI SDK Server\nnfv,SR-IOV,vm-7,VC.example\n"
             "twin,SR-IOV,vm-8,vc.example\n",
             NULL);
  s = load_written(&x);
  assert_true(find_vm(&s->clusters[0], "nfv")->directpath);
  assert_false(find_vm(&s->clusters[0], "twin")->directpath);
  assert_true(has_warning(&x, "vnetwork.csv: 1 row found its VM by its VM ID "
                              "alone: the VI SDK Server columns differ from "
                              "vInfo's"));
  assert_true(has_warning(&x, "vnetwork.csv: 1 row with an SR-IOV or "
                              "passthrough NIC finds no single imported VM "
                              "(e.g. 'twin'): ignored"));
  scenario_free(s);
  run_fini(&x);

  /* Without the Adapter column the file cannot say: an error, not a guess. */
  run_import(&x, IMPORT_RVTOOLS, vinfo, VHOST_HDR "h1,c,8,65536,8.0.3\n",
             "VM,Direct Path IO\nupt,True\n", NULL);
  assert_errors(&x, "vnetwork.csv:1: error: no column 'Adapter' in the header "
                    "(an RVTools vNetwork export has it)\n");
  run_fini(&x);
}

#define SRV_VINFO "VM,Powerstate,CPUs,Memory,Host,Cluster,VI SDK Server\n"
#define SRV_VHOST "Host,Cluster,# Cores,# Memory,ESX Version,VI SDK Server\n"

static void test_import_matches_hosts_across_server_spellings_and_case(
    void **state) {
  (void)state;
  /* One RVTools run by IP, one by name; names in another case; an empty
   * server; a short host name against a full one. */
  const char *vinfo = SRV_VINFO "a,poweredOn,2,1024,ESX1.LAB.EXAMPLE,c,10.0.0.5\n"
                                "b,poweredOn,2,1024,esx2.lab.example,c,\n"
                                "d,poweredOn,2,1024,esx3,c,VC.lab.example\n"
                                "e,poweredOn,2,1024,esx1.lab.example,c,vc.lab.example\n";
  const char *vhost = SRV_VHOST "esx1.lab.example,c,8,65536,8.0.3,vc.lab.example\n"
                                "esx2.lab.example,c,8,65536,8.0.3,vc.lab.example\n"
                                "esx3.lab.example,c,8,65536,8.0.3,vc.lab.example\n";
  struct run x;
  run_import(&x, IMPORT_RVTOOLS, vinfo, vhost, NULL, NULL);
  struct scenario *s = load_written(&x);
  assert_int_equal(s->total_clusters, 1);
  const struct scenario_cluster *c = &s->clusters[0];
  assert_string_equal(pin_of(c, find_vm(c, "a")), "esx1.lab.example");
  assert_string_equal(pin_of(c, find_vm(c, "b")), "esx2.lab.example");
  assert_string_equal(pin_of(c, find_vm(c, "d")), "esx3.lab.example");
  assert_string_equal(pin_of(c, find_vm(c, "e")), "esx1.lab.example");
  assert_int_equal(x.res.stats.vms_pinned, 4);
  /* 'd' differs in the server's case only, but its host by the short name. */
  assert_true(has_warning(
      &x, "3 VMs found their host in hosts.csv by its name alone (e.g. 'a'): "
          "the VI SDK Server columns differ (an IP address against a name, "
          "another case, or empty)"));
  for (size_t i = 0; i < x.log.nwarnings; i++)
    assert_null(strstr(x.log.warnings[i], "not pinned"));
  scenario_free(s);
  run_fini(&x);

  /* A short name two hosts share finds neither. */
  run_import(&x, IMPORT_RVTOOLS, SRV_VINFO "a,poweredOn,2,1024,esx9,c,vc\n"
                                           "b,poweredOn,2,1024,esx9.a,c,vc\n",
             SRV_VHOST "esx9.a,c,8,65536,8.0.3,vc\nesx9.b,c,8,65536,8.0.3,vc\n",
             NULL, NULL);
  s = load_written(&x);
  assert_null(pin_of(&s->clusters[0], find_vm(&s->clusters[0], "a")));
  assert_true(has_warning(&x, "1 VM is on a host that hosts.csv does not list "
                              "(e.g. 'a' on 'esx9'): not pinned"));
  scenario_free(s);
  run_fini(&x);

  /* Nothing matches: an error naming what each file holds, nothing written. */
  run_import(&x, IMPORT_RVTOOLS, SRV_VINFO "a,poweredOn,2,1024,esx1,c,vc-a\n"
                                           "b,poweredOn,2,1024,esx2,c,\n",
             SRV_VHOST "other1,c,8,65536,8.0.3,vc-b\n", NULL, NULL);
  assert_errors(&x, "vms.csv: error: no VM's host is in hosts.csv (e.g. 'esx1' "
                    "here, 'other1' there): are they exports of the same "
                    "vCenter? VI SDK Server in vms.csv: 'vc-a', ''; in "
                    "hosts.csv: 'vc-b'\n");
  run_fini(&x);
}

static void test_import_skips_comma_only_rows_and_a_totals_row(void **state) {
  (void)state;
  const char *vinfo = VINFO_HDR "a,poweredOn,False,2,1024,h1,c,\n"
                                ",,,,,,,\n"
                                "b,poweredOn,False,2,1024,h1,c,\n"
                                "Total,,,4,2048,,,\n"
                                ",,,,,,,\n"
                                " , ,,,,,,\n";
  struct run x;
  run_import(&x, IMPORT_RVTOOLS, vinfo, VHOST_HDR "h1,c,8,65536,8.0.3\n", NULL,
             NULL);
  struct scenario *s = load_written(&x);
  assert_int_equal(s->total_vms, 2);
  assert_int_equal(x.log.nerrors, 0);
  assert_true(has_warning(&x, "vms.csv: 3 rows with no value (only "
                              "delimiters, e.g. row 3): skipped"));
  assert_true(has_warning(&x, "vms.csv:5: row 5 looks like a totals row (no "
                              "VM, no Powerstate): skipped"));
  scenario_free(s);
  run_fini(&x);

  /* A last row with a power state is a VM row: its empty name is an error. */
  run_import(&x, IMPORT_RVTOOLS,
             VINFO_HDR "a,poweredOn,False,2,1024,h1,c,\n,poweredOn,False,2,"
                       "1024,h1,c,\n",
             NULL, NULL, NULL);
  assert_errors(&x, "vms.csv:3: error: row 3, column 'VM': expected a VM name "
                    "(got nothing)\n");
  run_fini(&x);
}

static void
test_import_raises_cpu_overcommit_from_the_hosts_own_ratio(void **state) {
  (void)state;
  /* The VM's host is not in vHost (another run): only vHost's own figures
   * tell how many vCPUs per core the cluster runs. Without them the VM
   * would fit on no host (20 vCPUs > 4 cores x 4.0). */
  const char *vinfo = VINFO_HDR "small,poweredOn,False,1,1024,h1,c,\n"
                                "wide,poweredOn,False,20,1024,gone,c,\n";
  const char *vhost =
      "Host,Cluster,# Cores,# Memory,ESX Version,# vCPUs,vCPUs per Core\n"
      "h1,c,4,65536,8.0.3,21,\"5,25\"\n"
      "h2,c,4,65536,8.0.3,22,\n";
  struct run x;
  run_import(&x, IMPORT_RVTOOLS, vinfo, vhost, NULL, NULL);
  struct scenario *s = load_written(&x);
  assert_true(s->clusters[0].cpu_overcommit == 5.5); /* 22 / 4 = 5.5 on h2 */
  assert_int_equal(find_vm(&s->clusters[0], "wide")->count, 1);
  assert_int_equal(x.res.stats.vms_unplaced, 0);
  assert_non_null(strstr(x.res.yaml, "raised from 4.0: the export has 5.50 on h2"));
  scenario_free(s);
  run_fini(&x);

  run_import(&x, IMPORT_RVTOOLS, vinfo,
             "Host,Cluster,# Cores,# Memory,ESX Version,vCPUs per Core\n"
             "h1,c,4,65536,8.0.3,many\n",
             NULL, NULL);
  assert_errors(&x, "hosts.csv:2: error: row 2, column 'vCPUs per Core': "
                    "expected a number such as 2.5 (got 'many')\n");
  run_fini(&x);
}

#define VC_HDR                                                                 \
  "Name,NumHosts,HA enabled,Failover Level,AdmissionControlEnabled,DRS "      \
  "enabled,DRS default VM behavior,VI SDK Server\n"

static void test_import_reads_vcluster_vdatastore_and_vsource(void **state) {
  (void)state;
  const char *vinfo =
      "VM,Powerstate,CPUs,Memory,Host,Cluster,VI SDK Server,VI SDK API Version\n"
      "a,poweredOn,2,1024,h1,auto,vc1,8.0.3.0\n"
      "b,poweredOn,2,1024,h4,manual,vc1,8.0.3.0\n"
      "c,poweredOn,2,1024,h6,plain,vc1,8.0.3.0\n";
  const char *vhost = SRV_VHOST "h1,auto,8,65536,8.0.3,vc1\n"
                                "h2,auto,8,65536,8.0.3,vc1\n"
                                "h3,auto,8,65536,8.0.3,vc1\n"
                                "h4,manual,8,65536,8.0.3,vc1\n"
                                "h5,manual,8,65536,8.0.3,vc1\n"
                                "h6,plain,8,65536,8.0.3,vc1\n";
  const char *vcluster = VC_HDR "auto,3,True,1,True,True,fullyAutomated,VC1\n"
                                "manual,2,False,1,False,False,manual,vc1\n"
                                "gone,2,True,,True,True,,vc1\n";
  const char *vds = "Name,Type,Cluster name,Hosts\n"
                    "vsanDatastore,vsan,,\"h4, h5\"\n"
                    "local-h1,VMFS,,h1\n";
  const char *vsrc = "Name,Version,Build,VI SDK Server\n"
                     "VMware vCenter Server,8.0.3,24022515,vc1\n";
  struct run x;
  run_tabs(&x, vinfo, vhost, vcluster, vds, vsrc);
  struct scenario *s = load_written(&x);
  const struct scenario_cluster *a = find_cluster(s, "auto");
  const struct scenario_cluster *m = find_cluster(s, "manual");
  const struct scenario_cluster *p = find_cluster(s, "plain");
  assert_true(a->drs_enabled);
  assert_int_equal(a->drs_automation, SCENARIO_DRS_FULLY_AUTOMATED);
  assert_true(a->ha_enabled);
  assert_true(a->ha_admission_control_pct == 33.3); /* 1 of 3 hosts */
  assert_false(a->vsan);
  assert_false(m->drs_enabled);
  assert_int_equal(m->drs_automation, SCENARIO_DRS_MANUAL);
  assert_false(m->ha_enabled);
  assert_true(m->vsan);
  /* Not in vCluster: lpsim's defaults, said so. */
  assert_true(p->drs_enabled);
  assert_non_null(strstr(
      x.res.yaml, "    drs: {enabled: true, automation: \"fully_automated\"}  # "
                  "not in the export: lpsim's default;"));
  assert_non_null(strstr(x.res.yaml, "# vDatastore: vSAN datastore 'vsanDatastore';"));
  assert_int_equal(s->vcenter_version, SCENARIO_VERSION(8, 0, 3));
  assert_non_null(strstr(x.res.yaml, "'vc1' 8.0.3 build 24022515 (vSource)"));
  assert_true(has_warning(&x, "vcluster.csv: 1 row names no cluster of the VM "
                              "or host export (e.g. 'gone'): ignored"));
  scenario_free(s);
  run_fini(&x);

  /* A vCluster without the admission control column does not say it is off. */
  run_tabs(&x, vinfo, vhost,
           "Name,HA enabled,DRS enabled,VI SDK Server\nauto,True,True,vc1\n",
           NULL, NULL);
  s = load_written(&x);
  assert_true(find_cluster(s, "auto")->ha_admission_control_pct == 0.0);
  assert_non_null(strstr(x.res.yaml, "# vCluster: HA enabled; admission control "
                                     "not in the export: 0, set "
                                     "admission_control_pct\n"));
  assert_non_null(strstr(x.res.yaml, "# vCluster: DRS enabled; automation not "
                                     "in the export: lpsim's default;"));
  scenario_free(s);
  run_fini(&x);

  /* Bad values: every one, exactly. */
  run_tabs(&x, vinfo, vhost,
           VC_HDR "auto,3,maybe,one,True,True,sometimes,vc1\n", NULL,
           "Name,Version,VI SDK Server\nx,latest,vc1\n");
  assert_errors(
      &x, "vcluster.csv:2: error: row 2, column 'HA enabled': expected True or "
          "False (got 'maybe')\n"
          "vcluster.csv:2: error: row 2, column 'DRS default VM behavior': "
          "expected fullyAutomated, partiallyAutomated or manual (got "
          "'sometimes')\n"
          "vcluster.csv:2: error: row 2, column 'Failover Level': expected the "
          "number of host failures to tolerate, a whole number (got 'one')\n"
          "vsource.csv:2: error: row 2, column 'Version': expected a vCenter "
          "version such as '8.0.3' (got 'latest')\n");
  run_fini(&x);
}

static void test_import_admission_percentage_and_drs_behaviors(void **state) {
  (void)state;
  assert_true(irv_admission_pct(1, 4) == 25.0);
  assert_true(irv_admission_pct(1, 3) == 33.3);
  assert_true(irv_admission_pct(2, 2) == 100.0);
  assert_true(irv_admission_pct(3, 2) == 100.0);
  assert_true(irv_admission_pct(0, 5) == 0.0);
  assert_true(irv_admission_pct(1, 0) == 0.0);
  enum scenario_drs_automation a;
  assert_true(irv_parse_drs_behavior(" FullyAutomated ", &a));
  assert_int_equal(a, SCENARIO_DRS_FULLY_AUTOMATED);
  assert_true(irv_parse_drs_behavior("partiallyAutomated", &a));
  assert_int_equal(a, SCENARIO_DRS_PARTIALLY_AUTOMATED);
  assert_true(irv_parse_drs_behavior("manual", &a));
  assert_int_equal(a, SCENARIO_DRS_MANUAL);
  assert_false(irv_parse_drs_behavior("", &a));
  assert_false(irv_parse_drs_behavior("automatic", &a));
}

static void
test_import_keeps_each_vcenters_version_and_names_duplicates(void **state) {
  (void)state;
  const char *vinfo = "VM,Powerstate,CPUs,Memory,Host,Cluster,VI SDK "
                      "Server,VI SDK API Version\n"
                      "a,poweredOn,2,1024,h1,Prod,vc-new,8.0.3.0\n"
                      "b,poweredOn,2,1024,h2,Prod,vc-old,7.0.3.0\n";
  struct run x;
  run_import(&x, IMPORT_RVTOOLS, vinfo, NULL, NULL, NULL);
  struct scenario *s = load_written(&x);
  assert_int_equal(s->vcenter_version, SCENARIO_VERSION(7, 0, 3));
  assert_string_equal(s->clusters[1].name, "Prod~2");
  assert_non_null(strstr(x.res.yaml,
                         "  - name: \"Prod~2\"  # export name: Prod; a duplicate "
                         "name: an earlier cluster of the export (another "
                         "vCenter or datacenter) has it\n"));
  assert_non_null(strstr(x.res.yaml, "  # Prod, vCenter 'vc-new', VI SDK API "
                                     "Version 8.0.3.0 (vInfo): 1 host, 1 VM\n"));
  assert_non_null(strstr(x.res.yaml, "  # Prod~2, vCenter 'vc-old', VI SDK API "
                                     "Version 7.0.3.0 (vInfo): 1 host, 1 VM\n"));
  assert_true(has_warning(
      &x, "the export's vCenters have different versions ('vc-new', VI SDK API "
          "Version 8.0.3.0 (vInfo); 'vc-old', VI SDK API Version 7.0.3.0 "
          "(vInfo)): vcenter.version is the oldest, 7.0.3, for every cluster (a "
          "scenario has one vCenter version); import each vCenter's rows on "
          "their own to simulate each with its own"));
  scenario_free(s);
  run_fini(&x);
}

static void test_import_powercli_parent_host_means_standalone(void **state) {
  (void)state;
  const char *vms =
      "#TYPE "
      "VMware.VimAutomation.ViCore.Impl.V1.VM.UniversalVirtualMachineImpl\n"
      "\"Name\",\"PowerState\",\"NumCpu\",\"MemoryGB\",\"VMHost\"\n"
      "\"app\",\"PoweredOn\",\"2\",\"0.5\",\"e1\"\n"
      "\"dmz\",\"Suspended\",\"1\",\"1\",\"e9\"\n";
  const char *hosts =
      "\"Name\",\"NumCpu\",\"MemoryTotalGB\",\"Version\",\"Build\",\"Parent\"\n"
      "\"e1\",\"8\",\"255.99\",\"8.0.3\",\"24022510\",\"Prod\"\n"
      "\"e9\",\"8\",\"64\",\"7.0.3\",\"21930508\",\"host\"\n";
  struct run x;
  run_import(&x, IMPORT_POWERCLI, vms, hosts, NULL, NULL);
  struct scenario *s = load_written(&x);
  assert_int_equal(s->total_clusters, 2);
  const struct scenario_cluster *prod = find_cluster(s, "Prod");
  assert_true(prod->vms[0].memory_gb == 0.5);
  assert_true(prod->hosts[0].memory_gb == 255.99);
  const struct scenario_cluster *e9 = find_cluster(s, "e9");
  assert_int_equal(e9->hosts[0].version, SCENARIO_VERSION(7, 0, 3));
  assert_int_equal(e9->vms[0].power, SCENARIO_POWER_SUSPENDED);
  scenario_free(s);
  run_fini(&x);
}

/* ---- errors (exact text)
 * -------------------------------------------------------- */

static void test_import_names_each_missing_column_and_the_file(void **state) {
  (void)state;
  struct run x;
  run_import(&x, IMPORT_RVTOOLS, "VM,Memory,Host,Cluster\nweb,1024,h,c\n", NULL,
             NULL, NULL);
  assert_errors(&x, "vms.csv:1: error: no column 'Powerstate' in the header "
                    "(an RVTools vInfo "
                    "export has it)\n"
                    "vms.csv:1: error: no column 'CPUs' in the header (an "
                    "RVTools vInfo export "
                    "has it)\n");
  run_fini(&x);
  run_import(&x, IMPORT_POWERCLI, "Name,PowerState,NumCpu,VMHost\n", NULL, NULL,
             NULL);
  assert_errors(
      &x,
      "vms.csv:1: error: no column 'MemoryGB' nor 'MemoryMB' in the header (a "
      "PowerCLI Get-VM export has one)\n");
  run_fini(&x);
}

static void
test_import_names_file_row_and_column_of_each_bad_value(void **state) {
  (void)state;
  struct run x;
  const char *vinfo =
      "VM;Powerstate;Template;CPUs;Memory;Host;Cluster;FT State\n"
      "ok;poweredOn;False;2;2048;h1;c1;notConfigured\n"
      "cpu;poweredOn;False;four;2048;h1;c1;\n"
      "\"two\nlines\";running;False;2;-1;h1;c1;bogus\n"
      ";poweredOn;maybe;2;1024;h1;c1;\n";
  const char *vhost = "Host,Cluster,# Cores,# Memory,ESX Version\n"
                      "h1,c1,0,65536,VMware ESXi 8.0.3 build-1\n"
                      "h2,c1,8,65536,VMware ESXi\n";
  run_import(&x, IMPORT_RVTOOLS, vinfo, vhost, NULL, NULL);
  assert_errors(
      &x,
      "hosts.csv:2: error: row 2, column '# Cores': expected the number of "
      "cores, a "
      "whole number from 1 to 4096 (got '0')\n"
      "hosts.csv:3: error: row 3, column 'ESX Version': expected an ESXi "
      "version such "
      "as 'VMware ESXi 8.0.3 build-24022510' (got 'VMware ESXi')\n"
      "vms.csv:3: error: row 3, column 'CPUs': expected the number of vCPUs, a "
      "whole "
      "number from 1 to 4096 (got 'four')\n"
      "vms.csv:4: error: row 4, column 'Powerstate': expected poweredOn, "
      "poweredOff or "
      "suspended (got 'running')\n"
      "vms.csv:4: error: row 4, column 'Memory': expected the VM's memory in "
      "MiB, a "
      "number from 1 to 1073741824 (got '-1')\n"
      "vms.csv:4: error: row 4, column 'FT State': expected notConfigured, "
      "disabled, "
      "enabled, running, starting or needSecondary (got 'bogus')\n"
      "vms.csv:6: error: row 5, column 'Template': expected True or False (got "
      "'maybe')\n"
      "vms.csv:6: error: row 5, column 'VM': expected a VM name (got "
      "nothing)\n");
  run_fini(&x);
}

static void test_import_reports_broken_files(void **state) {
  (void)state;
  struct run x;
  run_import(&x, IMPORT_RVTOOLS,
             VINFO_HDR "web,poweredOn,False,2,1024,h1,\"c1\n", NULL, NULL,
             NULL);
  assert_errors(
      &x,
      "vms.csv:2: error: row 2: a quoted field is not closed before the end of "
      "the file\n");
  run_fini(&x);
  run_import(&x, IMPORT_RVTOOLS, "\n\n", NULL, NULL, NULL);
  assert_errors(&x, "vms.csv: error: the file is empty: no header row\n");
  run_fini(&x);
  struct import_request rq = {
      .format = IMPORT_RVTOOLS,
      .vms = {"vms.csv", "V\0M\0\n\0", 6},
      .scenario_name = "t",
  };
  ilog_init(&x.log);
  x.rc = import_run(&rq, &x.log, &x.res);
  assert_errors(&x, "vms.csv:1: error: the file is not text: it holds a NUL "
                    "character (UTF-16 "
                    "without a byte-order mark?)\n");
  run_fini(&x);
  /* Only templates and no host file: nothing to write. */
  run_import(&x, IMPORT_RVTOOLS, VINFO_HDR "t,poweredOff,True,2,1024,h1,c,\n",
             NULL, NULL, NULL);
  assert_errors(
      &x,
      "vms.csv: error: nothing to import: no cluster with a host (every VM row "
      "was skipped, or no row names a host)\n");
  run_fini(&x);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_import_header_matches_variants_case_and_spacing),
      cmocka_unit_test(
          test_import_delimiter_is_the_most_frequent_outside_quotes),
      cmocka_unit_test(test_import_csv_reads_columns_by_name_in_any_order),
      cmocka_unit_test(
          test_import_csv_survives_quoting_torture_with_exact_positions),
      cmocka_unit_test(test_import_csv_skips_the_type_line_of_export_csv),
      cmocka_unit_test(test_import_decodes_utf16_and_windows_1252),
      cmocka_unit_test(test_import_parses_esx_versions_as_exports_write_them),
      cmocka_unit_test(
          test_import_ft_states_running_enabled_starting_needsecondary_mean_ft),
      cmocka_unit_test(test_import_sizes_in_mib_become_gb),
      cmocka_unit_test(test_import_power_states_and_booleans),
      cmocka_unit_test(test_import_scenario_names_from_output_paths),
      cmocka_unit_test(test_import_name_rule_maps_what_names_cannot_hold),
      cmocka_unit_test(test_import_map_holds_keys_and_grows),
      cmocka_unit_test(
          test_import_rvtools_writes_a_scenario_the_loader_accepts),
      cmocka_unit_test(test_import_pins_only_where_the_host_has_room),
      cmocka_unit_test(test_import_raises_cpu_overcommit_to_the_exports_ratio),
      cmocka_unit_test(test_import_infers_hosts_without_a_host_file),
      cmocka_unit_test(test_import_keys_use_only_columns_both_files_have),
      cmocka_unit_test(test_import_joins_vnetwork_and_vdisk_by_vm_id_or_name),
      cmocka_unit_test(
          test_import_reads_sriov_and_passthrough_adapters_not_direct_path_io),
      cmocka_unit_test(
          test_import_matches_hosts_across_server_spellings_and_case),
      cmocka_unit_test(test_import_skips_comma_only_rows_and_a_totals_row),
      cmocka_unit_test(
          test_import_raises_cpu_overcommit_from_the_hosts_own_ratio),
      cmocka_unit_test(test_import_reads_vcluster_vdatastore_and_vsource),
      cmocka_unit_test(test_import_admission_percentage_and_drs_behaviors),
      cmocka_unit_test(
          test_import_keeps_each_vcenters_version_and_names_duplicates),
      cmocka_unit_test(test_import_powercli_parent_host_means_standalone),
      cmocka_unit_test(test_import_names_each_missing_column_and_the_file),
      cmocka_unit_test(test_import_names_file_row_and_column_of_each_bad_value),
      cmocka_unit_test(test_import_reports_broken_files),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
