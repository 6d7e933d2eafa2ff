/*
 * fuzz_import: libFuzzer target for `lpsim import`. The input is up to
 * seven CSV files separated by lines "--8<--": the VM export, the host
 * export, RVTools vNetwork, vDisk, vCluster, vDatastore and vSource. Each input is imported as RVTools
 * and as PowerCLI; whenever an import succeeds, the scenario it wrote is
 * loaded and placed as `lpsim validate` does, and must pass: an import
 * that writes an invalid scenario aborts (a finding), as do crashes,
 * leaks, hangs and sanitizer reports.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/estate.h"
#include "scenarios/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEP "\n--8<--\n"

/* The scenario written must load and place; abort() shows it when not. */
static void check_written(const struct import_result *res) {
  struct diag d;
  struct scenario *s = NULL;
  diag_init(&d, "written.yaml");
  int rc = scenario_load_buffer(res->yaml, res->len, "written.yaml", &d, &s);
  if (rc == 0)
    rc = estate_check(s, &d);
  if (rc == -ENOMEM) {
    scenario_free(s);
    diag_fini(&d);
    return;
  }
  if (rc != 0 || diag_failed(&d)) {
    diag_print(&d, stderr);
    fwrite(res->yaml, 1, res->len, stderr);
    abort();
  }
  /* Everything written with count 1 is in the estate. */
  if (s->total_vms != res->stats.vms || s->total_hosts != res->stats.hosts ||
      s->total_clusters != res->stats.clusters)
    abort();
  scenario_free(s);
  diag_fini(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct import_file f[7] = {{0}};
  const char *names[7] = {"vms.csv",      "hosts.csv",      "vnetwork.csv",
                          "vdisk.csv",    "vcluster.csv",   "vdatastore.csv",
                          "vsource.csv"};
  const char *p = (const char *)data, *end = p + size;
  for (int i = 0; i < 7 && p; i++) {
    const char *q = NULL;
    for (const char *s = p; s + sizeof(SEP) - 1 <= end; s++)
      if (!memcmp(s, SEP, sizeof(SEP) - 1)) {
        q = s;
        break;
      }
    f[i] = (struct import_file){names[i], p, (size_t)((q ? q : end) - p)};
    p = q ? q + sizeof(SEP) - 1 : NULL;
  }
  for (int format = 0; format < 2; format++) {
    struct import_request rq = {
        .format = format ? IMPORT_POWERCLI : IMPORT_RVTOOLS,
        .vms = f[0],
        .hosts = f[1],
        .network = f[2],
        .disks = f[3],
        .vcluster = f[4],
        .vdatastore = f[5],
        .vsource = f[6],
        .scenario_name = "fuzz",
    };
    struct ilog log;
    struct import_result res;
    ilog_init(&log);
    if (import_run(&rq, &log, &res) == 0)
      check_written(&res);
    import_result_fini(&res);
    ilog_fini(&log);
  }
  return 0;
}
