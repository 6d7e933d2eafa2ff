/*
 * configmax: where a scenario exceeds vSphere 8's configuration maximums
 * (scenarios/FORMAT.md "Configuration maximums" cites them): hosts per
 * cluster, VMs per host (at initial placement) and hosts per vCenter.
 * `lpsim validate` reports them as warnings: lpsim simulates such an
 * estate, but vSphere does not support it.
 */
#ifndef LPSIM_CONFIGMAX_H
#define LPSIM_CONFIGMAX_H

#include <stddef.h>

#include "models/estate.h"

#define CONFIGMAX_HOSTS_PER_CLUSTER 96
#define CONFIGMAX_VMS_PER_HOST      1024
#define CONFIGMAX_HOSTS_PER_VCENTER 2500

enum configmax_limit {
	CONFIGMAX_HOSTS_PER_CLUSTER_LIMIT,
	CONFIGMAX_VMS_PER_HOST_LIMIT,
	CONFIGMAX_HOSTS_PER_VCENTER_LIMIT
};

struct configmax_warning {
	enum configmax_limit limit;
	long maximum;
	long value;
	char where[160]; /* "cluster 'c'", "host 'esx-01' of cluster 'c'", "the vCenter" */
};

/* "hosts_per_cluster", "vms_per_host" or "hosts_per_vcenter". */
const char *configmax_limit_name(enum configmax_limit l);

/* One line for people: "cluster 'c' has 97 hosts, more than vSphere 8's maximum of 96 hosts per cluster". */
void configmax_message(const struct configmax_warning *w, char *buf, size_t len);

/*
 * Every place of e that exceeds a maximum, the vCenter first, then in
 * inventory order: the first max into out[], all of them counted.
 * Returns the count.
 */
size_t configmax_check(const struct estate *e, struct configmax_warning *out, size_t max);

#endif
