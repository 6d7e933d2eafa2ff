/*
 * import: RVTools and PowerCLI CSV exports to a scenario (`lpsim import`).
 * The files are read from memory (the command line reads them), so the
 * module does no I/O and the tests and the fuzzer drive it directly.
 *
 * RVTools (`lpsim import rvtools`; columns found by header name, any
 * order, variants accepted, see import.c's column tables):
 *   vInfo (required): one row per VM. VM, Powerstate (poweredOn |
 *     poweredOff | suspended), CPUs, Memory (MiB), Host, Cluster are
 *     required; Template, SRM Placeholder, Connection state, FT State,
 *     FT Role, Datacenter, VM ID, VI SDK Server, VI SDK API Version are
 *     used when present. Skipped rows: templates (Template True), SRM
 *     placeholders, FT secondaries (FT Role 2 or more), VMs whose
 *     Connection state is not "connected" (orphaned, inaccessible, ...).
 *     FT State running, enabled, starting or needSecondary means ft;
 *     notConfigured, disabled or empty means not. memory_gb = MiB / 1024.
 *   vHost (optional): Host, Cluster, # Cores, # Memory (MiB), ESX Version
 *     ("VMware ESXi 8.0.3 build-24022510" -> 8.0.3, the build in the
 *     host's comment; empty: unknown); used when present: vCPUs per Core
 *     ("0,6": either decimal mark), else # vCPUs / # Cores, for
 *     cpu_overcommit; in Maintenance Mode and in Quarantine Mode (a
 *     comment and a warning: the format has no such state). Without it,
 *     hosts are inferred from vInfo's Host column (a warning; sizes
 *     guessed, see import_estate.h).
 *   vNetwork (optional): Adapter SR-IOV or PCIPassthru (any case and
 *     punctuation, or the API's VirtualSriovEthernetCard and
 *     VirtualPCIPassthrough) on any NIC -> directpath. The "Direct Path
 *     IO" column is the Vmxnet3 UPT (VMDirectPath Gen2) compatibility
 *     flag, True by default, not passthrough: it is not read.
 *   vCluster, vDatastore, vSource (optional): see import_rvtabs.h.
 *   vDisk (optional): Sharing mode sharingMultiWriter, or Shared Bus
 *     physicalSharing or virtualSharing, on any disk -> shared_disk.
 *   vNetwork and vDisk rows find their VM by VI SDK Server (any case) +
 *   VM ID when both files have those columns, else by VM name (then every
 *   VM of that name gets the flag); a row whose server finds none finds
 *   the VM by its VM ID (or name) alone when one VM only has it.
 *   Clusters: one per (VI SDK Server, Datacenter, Cluster), each of the
 *   first two only when vInfo and vHost both have the column. A host or
 *   VM with an empty Cluster (a standalone host) makes a cluster of its
 *   own named after the host. A VM on a host vHost lists goes in that
 *   host's cluster (a warning when its own Cluster says otherwise); a VM
 *   on a host vHost does not list is not pinned; a VM with neither a
 *   Cluster nor a Host is left out. A VM row finds its vHost host by
 *   (VI SDK Server, Host); else in any case, blanks trimmed; else by the
 *   host name alone, or its first DNS label, when one vHost host only
 *   has it (a warning counts these: two RVTools runs, by IP and by name,
 *   or an empty server column). When vHost is given and no VM row that
 *   names a host finds it, the import fails naming the VI SDK Server
 *   values of both files. Each cluster's vCenter version: the oldest VI
 *   SDK API Version of its rows ("8.0.3.0" -> 8.0.3), or vSource's;
 *   vcenter.version is the oldest of them (import_rvtabs.h).
 *   Rows of delimiters only are skipped (import_csv.h); a last vInfo or
 *   vHost row with no name (or Total, Totals, Sum, Grand Total) and no
 *   Powerstate (vHost: ESX Version) is a totals row: skipped, warned.
 *
 * PowerCLI (`lpsim import powercli`):
 *   Get-VM | Export-Csv: Name, PowerState (PoweredOn | PoweredOff |
 *     Suspended), NumCpu, MemoryGB (or MemoryMB), VMHost.
 *   Get-VMHost | Export-Csv (optional): Name, NumCpu (cores),
 *     MemoryTotalGB (or MemoryTotalMB), Version ("8.0.3"), Parent (the
 *     cluster; empty or "host", the hidden folder a standalone host sits
 *     in, means a standalone host: a cluster of its own). Without it,
 *     every VM goes into one cluster named "imported", on hosts inferred
 *     from VMHost (a warning). PowerCLI's exports say nothing of FT,
 *     DirectPath or shared disks: those flags are left false.
 *
 * Values: whole numbers are plain digits; sizes may have a fraction, with
 * '.' or, in a ';'-separated file, ','. Booleans: True/False, Yes/No,
 * 1/0 (any case); empty is false. A word outside a column's list is an
 * error, so that a shifted or localized column does not pass silently.
 *
 * Errors (the import writes nothing): "FILE:LINE: error: row R, column
 * 'C': MESSAGE" for a bad value (R the spreadsheet row, the header being
 * row 1; C as the file spells it), "FILE:LINE: error: no column 'C' in
 * the header (...)" for a missing column, and import_csv.h's. Every bad
 * row of every file is reported (up to ILOG_MAX_KEPT).
 */
#ifndef LPSIM_IMPORT_H
#define LPSIM_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenarios/import_estate.h"
#include "scenarios/import_log.h"
#include "scenarios/scenario.h"

enum import_format {
	IMPORT_RVTOOLS,
	IMPORT_POWERCLI,
};

/* One input file, read by the caller. */
struct import_file {
	const char *name; /* display name (the path), borrowed */
	const char *data; /* contents, borrowed; NULL: the file was not given */
	size_t len;
};

struct import_request {
	enum import_format format;
	struct import_file vms;     /* RVTools vInfo or PowerCLI Get-VM: required */
	struct import_file hosts;   /* RVTools vHost or PowerCLI Get-VMHost: optional */
	struct import_file network; /* RVTools vNetwork: optional */
	struct import_file disks;   /* RVTools vDisk: optional */
	struct import_file vcluster;   /* RVTools vCluster: optional (import_rvtabs.h) */
	struct import_file vdatastore; /* RVTools vDatastore: optional */
	struct import_file vsource;    /* RVTools vSource: optional */
	const char *scenario_name;  /* the scenario's name; must pass scenario_name_ok() */
};

/* What an import made. */
struct import_result {
	char *yaml; /* the scenario (NUL-terminated, malloc'd); NULL after an error */
	size_t len;
	struct iestate_stats stats; /* what was written */
	long skipped_templates;     /* vInfo rows not imported, by reason */
	long skipped_srm;
	long skipped_ft_secondaries;
	long skipped_disconnected;
	long skipped_homeless; /* neither a cluster nor a host to put them on */
};

/*
 * Reads the files of rq and writes the scenario. Returns 0 with res
 * filled (free with import_result_fini); -EINVAL when the input is bad
 * (every error in log; res->yaml NULL: nothing may be written); -ENOMEM.
 * Warnings go to log in every case. A message lost for want of memory
 * sets log->oom whatever the return: the caller takes it as -ENOMEM.
 */
int import_run(const struct import_request *rq, struct ilog *log, struct import_result *res);

/* Frees res->yaml; the result may be reused. */
void import_result_fini(struct import_result *res);

/*
 * Appends to buf (NUL-terminated, size bytes in all) what was not
 * imported: "; not imported: 2 templates, 1 SRM placeholder, ..." from
 * res's skipped counts, then dropped VMs of clusters without hosts;
 * nothing when all are 0. Text past size is cut.
 */
void import_append_skipped(const struct import_result *res, long dropped, char *buf, size_t size);

/* ---- values (exported for the tests) --------------------------------------- */

/*
 * Finds an ESXi or vCenter version in s: the first "N.N" or "N.N.N"
 * (each part 0..999) that starts a word, then an optional update
 * ("U3", " U3", " Update 3") when only two parts were given.
 * "VMware ESXi 8.0.3 build-24022510" -> 8.0.3; "8.0.3.0" -> 8.0.3;
 * "7.0 Update 3" -> 7.0.3; "8" alone is not a version here. Returns true
 * and sets *v = SCENARIO_VERSION(...).
 */
bool import_parse_esx_version(const char *s, uint32_t *v);

/* RVTools FT State: 1 FT (running, enabled, starting, needSecondary), 0 not (notConfigured, disabled, empty), -1 unknown. Any case. */
int import_ft_state(const char *s);

/* poweredOn / poweredOff / suspended, any case. Returns false for anything else. */
bool import_parse_power(const char *s, enum scenario_power *p);

/* True/False, Yes/No, 1/0, any case, surrounding blanks ignored; "" is false. Returns false for anything else. */
bool import_parse_bool(const char *s, bool *b);

/*
 * A whole number 0..max: digits only, blanks around ignored. Returns
 * false for anything else (signs, fractions, "4,0", overflow).
 */
bool import_parse_whole(const char *s, long max, long *out);

/*
 * A size: digits with an optional fraction after '.' (or after ',' when
 * comma_decimal), blanks around ignored; no sign, exponent nor thousands
 * separator. Returns false for anything else.
 */
bool import_parse_size(const char *s, bool comma_decimal, double *out);

/* Whether s[0..n) is the NUL-terminated word w, ignoring ASCII case. */
bool import_word_eq(const char *s, size_t n, const char *w);

/* s without the blanks (' ', TAB) around it: sets *len, returns its start (within s). */
const char *import_trimmed(const char *s, size_t *len);

/* Whether s, blanks around ignored, is the word w, ignoring ASCII case. */
bool import_is_word(const char *s, const char *w);

/* MiB to lpsim's GB (GiB): mib / 1024. */
double import_mib_to_gb(double mib);

/*
 * A scenario name from an output path: its last component without the
 * extension, each character outside [A-Za-z0-9._-] as '-', leading dots
 * dropped; "imported" when nothing is left. Writes into buf (size >= 2).
 */
void import_scenario_name_from_path(const char *path, char *buf, size_t size);

#endif
