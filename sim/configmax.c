/*
 * configmax: vSphere 8's configuration maximums, checked (configmax.h).
 */
#include "sim/configmax.h"

#include <stdio.h>

const char *configmax_limit_name(enum configmax_limit l)
{
	switch (l) {
	case CONFIGMAX_HOSTS_PER_CLUSTER_LIMIT:
		return "hosts_per_cluster";
	case CONFIGMAX_VMS_PER_HOST_LIMIT:
		return "vms_per_host";
	case CONFIGMAX_HOSTS_PER_VCENTER_LIMIT:
		return "hosts_per_vcenter";
	}
	return "?";
}

void configmax_message(const struct configmax_warning *w, char *buf, size_t len)
{
	static const char *const what[] = {"hosts", "VMs", "hosts"};
	static const char *const per[] = {"hosts per cluster", "VMs per host",
	                                  "hosts per vCenter"};
	snprintf(buf, len, "%s %s %ld %s, more than vSphere 8's maximum of %ld %s", w->where,
	         w->limit == CONFIGMAX_VMS_PER_HOST_LIMIT ? "starts with" : "has", w->value,
	         what[w->limit], w->maximum, per[w->limit]);
}

static void add(struct configmax_warning *out, size_t max, size_t *n, enum configmax_limit l,
                long maximum, long value, const char *where)
{
	if (*n < max) {
		out[*n].limit = l;
		out[*n].maximum = maximum;
		out[*n].value = value;
		snprintf(out[*n].where, sizeof(out[*n].where), "%s", where);
	}
	(*n)++;
}

size_t configmax_check(const struct estate *e, struct configmax_warning *out, size_t max)
{
	size_t n = 0;
	char where[160], cn[64], hn[64];
	if (e->nhosts > CONFIGMAX_HOSTS_PER_VCENTER)
		add(out, max, &n, CONFIGMAX_HOSTS_PER_VCENTER_LIMIT, CONFIGMAX_HOSTS_PER_VCENTER,
		    (long)e->nhosts, "the vCenter");
	for (size_t c = 0; c < e->nclusters; c++) {
		const struct estate_cluster *cl = &e->clusters[c];
		if (estate_cluster_name(e, c, cn, sizeof(cn)) < 0)
			snprintf(cn, sizeof(cn), "#%zu", c + 1);
		if (cl->nhosts > CONFIGMAX_HOSTS_PER_CLUSTER) {
			snprintf(where, sizeof(where), "cluster '%s'", cn);
			add(out, max, &n, CONFIGMAX_HOSTS_PER_CLUSTER_LIMIT,
			    CONFIGMAX_HOSTS_PER_CLUSTER, (long)cl->nhosts, where);
		}
		for (uint32_t h = cl->host0; h < cl->host0 + cl->nhosts; h++) {
			long vms = (long)(e->on_host0[h + 1] - e->on_host0[h]);
			if (vms <= CONFIGMAX_VMS_PER_HOST)
				continue;
			if (estate_host_name(e, h, hn, sizeof(hn)) < 0)
				snprintf(hn, sizeof(hn), "#%u", h + 1);
			snprintf(where, sizeof(where), "host '%s' of cluster '%s'", hn, cn);
			add(out, max, &n, CONFIGMAX_VMS_PER_HOST_LIMIT, CONFIGMAX_VMS_PER_HOST, vms,
			    where);
		}
	}
	return n;
}
