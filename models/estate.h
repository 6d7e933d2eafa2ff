/*
 * estate: the inventory a scenario describes, expanded into flat arrays:
 * every cluster (cluster `count` copies included), host and VM, with their
 * initial placement (SCENARIO.md "Initial placement").
 *
 * Entities refer to each other by index, never by pointer, and carry no
 * strings: a name is its spec's pattern expanded with the entity's number
 * (estate_*_name), so 2,000,000 VMs cost a few dozen bytes each. Hosts and
 * VMs of one cluster are contiguous, in inventory order. An estate is
 * built once and then shared read-only by every replication; it borrows
 * the scenario, which must outlive it.
 *
 * Placement is computed once per cluster entry and copied to each of its
 * copies: the copies of a cluster are identical, so are their placements.
 */
#ifndef LPSIM_ESTATE_H
#define LPSIM_ESTATE_H

#include <stddef.h>
#include <stdint.h>

#include "scenarios/diag.h"
#include "scenarios/scenario.h"

struct estate_cluster {
	const struct scenario_cluster *spec;
	uint32_t copy;  /* 1 .. spec->count: the number its name is expanded with */
	uint32_t host0; /* its hosts are [host0, host0 + nhosts) */
	uint32_t nhosts;
	uint32_t vm0;   /* its VMs are [vm0, vm0 + nvms) */
	uint32_t nvms;
};

struct estate_host {
	uint32_t cluster; /* index into estate.clusters */
	uint32_t entry;   /* index into the cluster spec's hosts[] */
	uint32_t number;  /* 1-based within its entry */
};

struct estate_vm {
	uint32_t cluster;  /* index into estate.clusters */
	uint32_t entry;    /* index into the cluster spec's vms[] */
	uint32_t number;   /* 1-based within its entry */
	int32_t host;      /* initial host (estate index) */
	int32_t secondary; /* FT VMs: host of the secondary; else -1 */
};

struct estate {
	const struct scenario *sc; /* borrowed */
	size_t nclusters;
	size_t nhosts;
	size_t nvms;
	struct estate_cluster *clusters;
	struct estate_host *hosts;
	struct estate_vm *vms;
	/* VMs on each host at the start, in inventory order (CSR): the VMs
	 * running on host h are on_host[on_host0[h] .. on_host0[h + 1]), FT
	 * secondaries included (listed by their VM's index). */
	uint32_t *on_host0; /* nhosts + 1 entries */
	uint32_t *on_host;
};

/*
 * Checks that every cluster entry of sc can be placed, adding an error
 * naming each VM that fits nowhere to d (at the VM entry's position).
 * Costs one placement per cluster entry, whatever its count. Returns 0,
 * -EINVAL (errors in d) or -ENOMEM.
 */
int estate_check(const struct scenario *sc, struct diag *d);

/*
 * Expands sc into a new estate with initial placement. Returns 0 and sets
 * *out (free with estate_free); -EINVAL when placement fails (errors in
 * d); -ENOMEM.
 */
int estate_build(const struct scenario *sc, struct diag *d, struct estate **out);

/* Frees e; NULL is a no-op. */
void estate_free(struct estate *e);

/* The spec of host h / VM v. */
const struct scenario_host *estate_host_spec(const struct estate *e, size_t h);
const struct scenario_vm *estate_vm_spec(const struct estate *e, size_t v);

/*
 * What vSphere HA admission control (percentage policy) counts for one
 * powered-on VM, in GB: its memory reservation (reservation_gb; all of
 * memory_gb for DirectPath and vGPU VMs) plus its overhead memory, modelled
 * on vSphere's published sample table of VM overhead (models/SEMANTICS.md):
 * (ESTATE_OVERHEAD_BASE_MB + ESTATE_OVERHEAD_MB_PER_GB x memory_gb +
 * ESTATE_OVERHEAD_MB_PER_VCPU x vcpus) / 1024.
 */
#define ESTATE_OVERHEAD_BASE_MB     14.2
#define ESTATE_OVERHEAD_MB_PER_GB   7.58
#define ESTATE_OVERHEAD_MB_PER_VCPU 4.1
double estate_vm_admission_gb(const struct scenario_vm *vm);

/*
 * Writes the name of cluster c, host h or VM v into buf (len bytes, NUL
 * included). Returns its length, or a negative errno (-ENOSPC when buf is
 * too small). SCENARIO_MAX_NAME_LEN + 1 bytes always suffice.
 */
int estate_cluster_name(const struct estate *e, size_t c, char *buf, size_t len);
int estate_host_name(const struct estate *e, size_t h, char *buf, size_t len);
int estate_vm_name(const struct estate *e, size_t v, char *buf, size_t len);

#endif
