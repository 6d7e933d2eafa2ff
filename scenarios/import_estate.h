/*
 * import_estate: an inventory read from an export (clusters, hosts, VMs,
 * as the export names and sizes them), and its writing as a complete,
 * commented scenario that `lpsim validate` accepts. The readers
 * (scenarios/import.c) fill it; this module owns every rule that makes
 * the result a valid scenario:
 *
 * Names. Each host and VM is an entry of its own whose name is its
 * literal name (count 1). The format's names (scenarios/FORMAT.md) allow
 * neither control characters nor '/', ',', '"', '[' and ']', and YAML
 * refuses a few more code points, so iestate_map_name() writes '_' for
 * each of: C0 and C1 control characters, DEL, U+2028, U+2029, U+FEFF,
 * U+FFFE, U+FFFF, '/', ',', '"', '[', ']', and for every byte that is
 * not valid UTF-8 (the readers give UTF-8; this is a safety net). A name
 * is cut, on a character boundary, to SCENARIO_MAX_NAME_LEN (255) bytes;
 * an empty name becomes "unnamed". A name already taken in its namespace
 * (the clusters of the scenario; the hosts, or the VMs, of one cluster)
 * gets "~2", "~3", ... (cut further to fit). A name is written as a
 * pattern, so a literal '%' is written "%%"; a `host:` pin names the
 * expanded host name, so it keeps a single '%'. Every string is written
 * YAML double-quoted ('\' as "\\"). An entity whose name changed carries
 * its export name in a comment on its line.
 *
 * Clusters without hosts cannot be written (the format needs one host):
 * their VMs are left out, with a warning. Hosts whose size the export
 * does not give (inferred from the VMs' host column, `inferred`) are all
 * sized alike within their cluster, from the largest load the export puts
 * on one of them: memory 1.25 x that load rounded up to a multiple of
 * 64 GB, cores 1.25 x its vCPUs / 4 rounded up to a multiple of 8 (at
 * least 64 GB and 8 cores) -- a guess, said so in the comments.
 *
 * CPU. A cluster's cpu_overcommit is lpsim's default 4.0, or, when the
 * export puts more vCPUs than that per core on one of its hosts, that
 * ratio rounded up to the next 0.5 (at most 1000): the estate runs so
 * today, and lpsim would otherwise refuse its placement. The ratio is the
 * larger of the powered-on VMs' vCPUs on the host over its cores and the
 * host's own vCPUs-per-core figure from the export (vcpus_per_core), so
 * that a host the VM rows do not match still raises it.
 *
 * Power. vSphere counts no host memory or CPU for a powered-off or
 * suspended VM (admission control and DRS count powered-on VMs), while
 * lpsim's model counts every VM whatever its power state
 * (models/SEMANTICS.md). So powered-off and suspended VMs are written
 * with `count: 0` and a comment (set count: 1 to simulate them, e.g.
 * with evacuate_offline_vms): the capacity the scenario gives DRS is the
 * one vSphere gives it.
 *
 * Placement. lpsim's initial placement (SCENARIO.md) counts every VM's
 * memory and vCPUs on its host, and an FT VM's secondary on another
 * host; a pin to a host without room makes the scenario invalid. So the
 * writer runs the same placement as the loader (models/estate.c), in the
 * order it writes the VMs, and decides:
 *   1. powered-on VMs in export order: pinned (`host:`) to the host the
 *      export shows them on when it has room (and, for FT, another host
 *      has room for the secondary);
 *   2. the powered-on VMs not pinned: left to initial placement (the host
 *      with the most free memory) when some host has room;
 *   3. powered-on VMs that fit nowhere: written with `count: 0` (the
 *      entry makes no VM) and a comment, so that the file is valid and
 *      the user sees them; a warning counts them;
 *   4. powered-off and suspended VMs: `count: 0` (see Power).
 * VMs are written in that order (pinned before not pinned, export order
 * within each group); hosts in export order.
 * Numbers are written so that the loader reads back exactly the values
 * the writer placed with (memory as a decimal of at most 10 places).
 *
 * Cluster settings the reader found (DRS, HA, vSAN) are written with
 * where they came from; those it did not find, and everything no export
 * says (TPM, DPU, dirty rates, the patch, latencies, faults), are written
 * with lpsim's defaults and a comment saying so, for the user to edit.
 * A cluster renamed because an earlier cluster has its name says it is a
 * duplicate name (clusters of another vCenter or datacenter).
 *
 * What a source does read (lpsim import vcenter, meta.live: a host's TPM
 * and DPU, a VM's vsphere_pod, and the cluster settings) is written as
 * read, without "not in the export".
 */
#ifndef LPSIM_IMPORT_ESTATE_H
#define LPSIM_IMPORT_ESTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenarios/import_log.h"
#include "scenarios/scenario.h"

/* Sizes of inferred hosts (see above). */
#define IESTATE_INFER_HEADROOM  1.25
#define IESTATE_INFER_MEM_STEP  64.0 /* GB */
#define IESTATE_INFER_CORE_STEP 8
/* lpsim's default cpu_overcommit, and the step a raised one is rounded up to. */
#define IESTATE_CPU_OVERCOMMIT      4.0
#define IESTATE_CPU_OVERCOMMIT_STEP 0.5

/* A cluster setting the export may or may not give. */
enum iestate_known {
	IESTATE_UNKNOWN = -1, /* not in the export: lpsim's default, said so in a comment */
	IESTATE_NO = 0,
	IESTATE_YES = 1,
};

struct iestate_cluster {
	const char *name;  /* as in the export (UTF-8); owned by the estate */
	const char *about; /* one line for the comment above it ("datacenter 'DC1'"), or NULL */
	enum iestate_known drs;                      /* DRS enabled */
	enum scenario_drs_automation drs_automation; /* when drs is known */
	enum iestate_known ha;                       /* HA enabled */
	double ha_admission_pct;                     /* 0..100, when ha is known */
	enum iestate_known vsan;
	const char *drs_about;  /* where drs came from, for its comment, or NULL */
	const char *ha_about;   /* likewise for ha */
	const char *vsan_about; /* likewise for vsan */
	bool standalone;         /* a standalone host's own cluster (named after the host) */
	const char *server;      /* its vCenter (RVTools' VI SDK Server), or NULL */
	uint32_t vcenter_version; /* its vCenter's version (SCENARIO_VERSION()), 0: unknown */
	const char *vcenter_about; /* its vCenter's version and build, for the comment, or NULL */
};

struct iestate_host {
	const char *name;  /* as in the export; owned by the estate */
	size_t cluster;    /* index into clusters */
	int cores;         /* 1..SCENARIO_MAX_CORES; ignored when inferred */
	double memory_gb;  /* > 0; ignored when inferred */
	uint32_t version;  /* SCENARIO_VERSION(); 0: unknown (the vCenter's is written) */
	bool inferred;     /* not in a host export: sized from its VMs */
	double vcpus_per_core; /* the export's own vCPUs per core on it (0: not given) */
	const char *about; /* a comment for its line, or NULL; owned by the estate */
	bool tpm;          /* written only when true (the format's default is false) */
	bool dpu;          /* likewise */
};

struct iestate_vm {
	const char *name; /* as in the export; owned by the estate */
	size_t cluster;   /* index into clusters */
	long host;        /* index into hosts (of the same cluster) the export shows it on, or -1 */
	int vcpus;        /* 1..SCENARIO_MAX_VCPUS */
	double memory_gb; /* >= 1/1024 (1 MiB), <= SCENARIO_MAX_MEMORY_GB */
	enum scenario_power power;
	bool ft;
	bool directpath;
	bool shared_disk;
	bool vsphere_pod;
	const char *about; /* a comment for its line (why a flag is set), or NULL */
};

struct iestate {
	struct iestate_cluster *clusters;
	size_t nclusters;
	struct iestate_host *hosts;
	size_t nhosts;
	struct iestate_vm *vms;
	size_t nvms;
	uint32_t vcenter_version;  /* SCENARIO_VERSION(); 0: unknown (8.0.3 is written) */
	const char *vcenter_about; /* where vcenter_version came from, for its comment, or NULL */
	size_t cap_clusters;       /* allocated entries */
	size_t cap_hosts;
	size_t cap_vms;
	struct sarena *arena; /* owns every string */
};

/* What the writer needs besides the estate; everything borrowed for the call. */
struct iestate_meta {
	const char *command;       /* "lpsim import rvtools", for the first comment line */
	const char *scenario_name; /* [A-Za-z0-9._-]+, not starting with '.' */
	const char *description;   /* the scenario's description */
	const char *const *notes;  /* comment lines for the header (sources, mapping), no '#' */
	size_t nnotes;
	const char *input; /* the VM file's display name, for the "nothing to import" error */
	bool live; /* read from vCenter: cluster settings, TPM, DPU and vSphere Pods are in the estate */
};

/* What was written, for the command's summary and the tests. */
struct iestate_stats {
	long clusters;        /* written */
	long hosts;           /* written */
	long vms;             /* written with count 1 */
	long vms_pinned;      /* of which pinned to their export host */
	long vms_unplaced;    /* powered on, written with count: 0 (fit on no host) */
	long vms_off;         /* powered off or suspended: written with count: 0 */
	long vms_dropped;     /* in clusters without hosts: not written */
	long renamed;         /* entities whose name was changed */
	long clusters_raised; /* clusters whose cpu_overcommit was raised */
};

/* A new empty estate, or NULL when memory runs out. Free with iestate_free(). */
struct iestate *iestate_new(void);

/* Frees e and everything it owns; NULL is a no-op. */
void iestate_free(struct iestate *e);

/* A copy of s in e's arena (NULL gives NULL), or NULL when memory runs out. */
const char *iestate_strdup(struct iestate *e, const char *s);

/*
 * Appends a cluster, a host or a VM (copied; the strings must already be
 * the estate's, from iestate_strdup). Returns its index, or -ENOMEM.
 */
long iestate_add_cluster(struct iestate *e, const struct iestate_cluster *c);
long iestate_add_host(struct iestate *e, const struct iestate_host *h);
long iestate_add_vm(struct iestate *e, const struct iestate_vm *v);

/*
 * Writes e as a scenario into a new NUL-terminated buffer *yaml (free()
 * it) of *len bytes, following the rules above, and fills *stats (may be
 * NULL). Warnings go to log. Returns 0; -EINVAL when there is nothing to
 * write (no cluster with a host: an error naming m->input is logged) or
 * the scenario would pass SCENARIO_MAX_FILE_BYTES (logged); -ENOMEM.
 * e is not changed.
 */
int iestate_write(const struct iestate *e, const struct iestate_meta *m, struct ilog *log,
                  char **yaml, size_t *len, struct iestate_stats *stats);

/*
 * The name rule above for one name: writes the mapped name of in
 * (NUL-terminated) into out, at most max bytes (1..SCENARIO_MAX_NAME_LEN)
 * plus the NUL, so out needs max + 1 bytes. Returns true when the result
 * differs from in.
 */
bool iestate_map_name(const char *in, char *out, size_t max);

#endif
