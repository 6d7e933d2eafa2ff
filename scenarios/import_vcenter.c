/*
 * import_vcenter: vCenter's inventory to an estate (see import_vcenter.h).
 * Three retrievals (compute resources, hosts, VMs), each object mapped as
 * it arrives; managed object ids are kept in sorted tables so that a host
 * finds its compute resource and a VM its host by id.
 */
#include "scenarios/import_vcenter.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenarios/import.h"
#include "scenarios/scenario.h"

/* id -> index, sorted by id once a retrieval is over. */
struct idmap {
	struct idref {
		char *id;
		long index;
	} * v;
	size_t n;
	size_t cap;
};

struct ctx {
	struct iestate *e;
	struct ilog *log;
	struct ivc_result *res;
	struct idmap crs;     /* compute resource id -> cluster index */
	struct idmap hosts;   /* host id -> host index */
	long *failover_hosts; /* per cluster: hosts HA keeps for failover (level policies), or -1 */
	size_t nfailover;
	long missing;         /* properties the server would not give (missingSet) */
	char ex_missing[512]; /* the first of them, for the warning */
	bool oom;
};

static int idmap_add(struct idmap *m, const char *id, long index)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct idref *v = realloc(m->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		m->v = v;
		m->cap = cap;
	}
	char *s = strdup(id);
	if (!s)
		return -ENOMEM;
	m->v[m->n++] = (struct idref){s, index};
	return 0;
}

static int idref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct idref *)a)->id, ((const struct idref *)b)->id);
}

static void idmap_sort(struct idmap *m)
{
	if (m->n)
		qsort(m->v, m->n, sizeof(*m->v), idref_cmp);
}

static long idmap_find(const struct idmap *m, const char *id)
{
	struct idref key = {(char *)(uintptr_t)id, 0};
	const struct idref *r = m->n ? bsearch(&key, m->v, m->n, sizeof(*m->v), idref_cmp) : NULL;
	return r ? r->index : -1;
}

static void idmap_free(struct idmap *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].id);
	free(m->v);
	*m = (struct idmap){0};
}

/* ---- reading an object's properties --------------------------------------------- */

static xmlNode *prop(const struct vcapi_object *o, const char *name)
{
	for (size_t i = 0; i < o->nprops; i++) {
		const char *n = vcapi_prop_name(o->props[i]);
		if (n && !strcmp(n, name))
			return vcapi_prop_val(o->props[i]);
	}
	return NULL;
}

static const char *text(const xmlNode *n, char *buf, size_t size)
{
	return vcapi_text(n, buf, size);
}

static bool is_true(const xmlNode *n)
{
	char b[16];
	return !strcmp(text(n, b, sizeof(b)), "true");
}

static long number(const xmlNode *n, long dflt)
{
	char b[64];
	text(n, b, sizeof(b));
	char *end;
	errno = 0;
	long long v = strtoll(b, &end, 10);
	if (!b[0] || *end || errno)
		return dflt;
	return v > 0x7fffffffffffffffLL ? dflt : (long)v;
}

static const char *keep(struct ctx *x, const char *s)
{
	const char *r = iestate_strdup(x->e, s);
	if (!r && s)
		x->oom = true;
	return r;
}

/* Counts the properties o's missingSet holds (no permission, ...), keeping the first. */
static void note_missing(struct ctx *x, const struct vcapi_object *o, const char *name)
{
	for (size_t i = 0; i < o->nmissing; i++) {
		if (x->missing++ == 0) {
			char path[128], fault[96];
			vcapi_text(vcapi_child(o->missing[i], "path"), path, sizeof(path));
			vcapi_xsi_type(vcapi_path(o->missing[i], "fault.fault"), fault,
			               sizeof(fault));
			snprintf(x->ex_missing, sizeof(x->ex_missing), "'%s' of '%s': %s", path,
			         name, fault[0] ? fault : "no fault named");
		}
	}
}

/* ---- compute resources -------------------------------------------------------------- */

static enum scenario_drs_automation drs_behavior(const char *s)
{
	if (!strcmp(s, "manual"))
		return SCENARIO_DRS_MANUAL;
	if (!strcmp(s, "partiallyAutomated"))
		return SCENARIO_DRS_PARTIALLY_AUTOMATED;
	return SCENARIO_DRS_FULLY_AUTOMATED; /* fullyAutomated, the API's default */
}

/* HA admission control: a percentage, or *hosts >= 0 to turn into one later. */
static double admission_pct(const xmlNode *das, long *hosts)
{
	char ty[96];
	*hosts = -1;
	if (!is_true(vcapi_child(das, "enabled")) ||
	    !is_true(vcapi_child(das, "admissionControlEnabled")))
		return 0;
	xmlNode *pol = vcapi_child(das, "admissionControlPolicy");
	vcapi_xsi_type(pol, ty, sizeof(ty));
	if (!strcmp(ty, "ClusterFailoverResourcesAdmissionControlPolicy")) {
		long cpu = number(vcapi_child(pol, "cpuFailoverResourcesPercent"), 0);
		long mem = number(vcapi_child(pol, "memoryFailoverResourcesPercent"), 0);
		long p = cpu > mem ? cpu : mem;
		return p < 0 ? 0 : p > 100 ? 100 : (double)p;
	}
	if (!strcmp(ty, "ClusterFailoverLevelAdmissionControlPolicy"))
		*hosts = number(vcapi_child(pol, "failoverLevel"), 0);
	else if (!strcmp(ty, "ClusterFailoverHostAdmissionControlPolicy")) {
		*hosts = 0;
		for (xmlNode *c = pol->children; c; c = c->next)
			*hosts += c->type == XML_ELEMENT_NODE &&
			          !strcmp((const char *)c->name, "failoverHosts");
	}
	return 0;
}

static int on_compute_resource(void *ud, const struct vcapi_object *o)
{
	struct ctx *x = ud;
	char name[1024];
	text(prop(o, "name"), name, sizeof(name));
	note_missing(x, o, name);
	struct iestate_cluster c = {.name = keep(x, name)};
	long failover = -1;
	if (!strcmp(o->type, "ClusterComputeResource")) {
		xmlNode *cfg = prop(o, "configurationEx");
		xmlNode *drs = vcapi_child(cfg, "drsConfig"), *das = vcapi_child(cfg, "dasConfig");
		char beh[64];
		/* no configurationEx (not readable): lpsim's defaults, said so */
		enum iestate_known known = cfg ? IESTATE_NO : IESTATE_UNKNOWN;
		c.drs = cfg && is_true(vcapi_child(drs, "enabled")) ? IESTATE_YES : known;
		c.drs_automation =
		    drs_behavior(text(vcapi_child(drs, "defaultVmBehavior"), beh, sizeof(beh)));
		c.ha = cfg && is_true(vcapi_child(das, "enabled")) ? IESTATE_YES : known;
		c.ha_admission_pct = admission_pct(das, &failover);
		c.vsan =
		    cfg && is_true(vcapi_path(cfg, "vsanConfigInfo.enabled")) ? IESTATE_YES : known;
		c.drs_about = keep(x, "vCenter: configurationEx.drsConfig");
		c.ha_about = keep(x, "vCenter: configurationEx.dasConfig");
		c.vsan_about = keep(x, "vCenter: configurationEx.vsanConfigInfo");
	} else {
		c.standalone = true;
		c.about = keep(x, "a standalone host");
		c.drs = c.ha = c.vsan = IESTATE_NO;
		c.drs_automation = SCENARIO_DRS_FULLY_AUTOMATED;
		c.drs_about = c.ha_about = c.vsan_about = keep(x, "a standalone host has none");
	}
	long i = x->oom ? -ENOMEM : iestate_add_cluster(x->e, &c);
	if (i < 0 || idmap_add(&x->crs, o->id, i) < 0)
		return -ENOMEM;
	if ((size_t)i >= x->nfailover) {
		size_t n = x->nfailover ? x->nfailover * 2 : 16;
		while (n <= (size_t)i)
			n *= 2;
		long *v = realloc(x->failover_hosts, n * sizeof(*v));
		if (!v)
			return -ENOMEM;
		x->failover_hosts = v;
		x->nfailover = n;
	}
	x->failover_hosts[i] = failover;
	return 0;
}

/* ---- hosts ---------------------------------------------------------------------- */

static const char *const HOST_PATHS[] = {
    "name",
    "parent",
    "config.product.version",
    "config.product.build",
    "hardware.cpuInfo.numCpuCores",
    "hardware.memorySize",
    "runtime.connectionState",
    "runtime.inMaintenanceMode",
    "capability.tpmSupported",
    "runtime.healthSystemRuntime.hardwareStatusInfo",
};

static int on_host(void *ud, const struct vcapi_object *o)
{
	struct ctx *x = ud;
	char name[1024], parent[256], ver[64], build[64], conn[64], about[256];
	text(prop(o, "name"), name, sizeof(name));
	note_missing(x, o, name);
	long c = idmap_find(&x->crs, text(prop(o, "parent"), parent, sizeof(parent)));
	if (c < 0) {
		x->res->skipped_homeless++;
		ilog_warn(x->log, "host '%s' is in no cluster or compute resource: left out", name);
		return 0;
	}
	struct iestate_host h = {.cluster = (size_t)c};
	text(prop(o, "config.product.version"), ver, sizeof(ver));
	text(prop(o, "config.product.build"), build, sizeof(build));
	if (ver[0] && !import_parse_esx_version(ver, &h.version))
		h.version = 0;
	long cores = number(prop(o, "hardware.cpuInfo.numCpuCores"), 0);
	long bytes = number(prop(o, "hardware.memorySize"), 0);
	if (cores >= 1 && cores <= SCENARIO_MAX_CORES && bytes > 0) {
		h.cores = (int)cores;
		h.memory_gb = (double)bytes / (1024.0 * 1024.0 * 1024.0);
		if (h.memory_gb > SCENARIO_MAX_MEMORY_GB)
			h.memory_gb = SCENARIO_MAX_MEMORY_GB;
	} else {
		h.inferred = true; /* a disconnected host reports no hardware */
	}
	h.tpm = is_true(prop(o, "capability.tpmSupported"));
	h.dpu = vcapi_child(prop(o, "runtime.healthSystemRuntime.hardwareStatusInfo"),
	                    "dpuStatusInfo") != NULL;
	text(prop(o, "runtime.connectionState"), conn, sizeof(conn));
	bool mm = is_true(prop(o, "runtime.inMaintenanceMode"));
	int n = snprintf(about, sizeof(about), "ESXi %s%s%s", ver[0] ? ver : "version unknown",
	                 build[0] ? " build " : "", build);
	if (conn[0] && strcmp(conn, "connected") != 0) {
		n += snprintf(about + n, sizeof(about) - (size_t)n, "; %s in vCenter", conn);
		x->res->hosts_not_connected++;
	}
	if (mm && n < (int)sizeof(about)) {
		snprintf(about + n, sizeof(about) - (size_t)n, "; in maintenance mode");
		x->res->hosts_in_maintenance++;
	}
	h.name = keep(x, name);
	h.about = keep(x, about);
	long i = x->oom ? -ENOMEM : iestate_add_host(x->e, &h);
	if (i < 0 || idmap_add(&x->hosts, o->id, i) < 0)
		return -ENOMEM;
	return 0;
}

/* ---- VMs ------------------------------------------------------------------------ */

static const char *const VM_PATHS[] = {
    "name",
    "runtime.host",
    "runtime.powerState",
    "runtime.connectionState",
    "runtime.faultToleranceState",
    "config.template",
    "config.hardware.numCPU",
    "config.hardware.memoryMB",
    "config.ftInfo",
    "config.cpuAllocation.reservation",
    "config.memoryAllocation.reservation",
    "config.hardware.device",
    "config.guestId",
};

/* directpath and shared_disk from the devices. */
static void devices(const xmlNode *list, struct iestate_vm *v)
{
	char ty[128], s[64];
	for (xmlNode *d = list ? list->children : NULL; d; d = d->next) {
		if (d->type != XML_ELEMENT_NODE)
			continue;
		vcapi_xsi_type(d, ty, sizeof(ty));
		if (!strcmp(ty, "VirtualPCIPassthrough") || !strcmp(ty, "VirtualSriovEthernetCard"))
			v->directpath = true;
		xmlNode *bus = vcapi_child(d, "sharedBus");
		if (bus && strcmp(text(bus, s, sizeof(s)), "noSharing") != 0)
			v->shared_disk = true;
		if (!strcmp(ty, "VirtualDisk") &&
		    !strcmp(text(vcapi_path(d, "backing.sharing"), s, sizeof(s)),
		            "sharingMultiWriter"))
			v->shared_disk = true;
	}
}

static bool ft_on(const char *state)
{
	return !strcmp(state, "running") || !strcmp(state, "enabled") ||
	       !strcmp(state, "starting") || !strcmp(state, "needSecondary");
}

static int on_vm(void *ud, const struct vcapi_object *o)
{
	struct ctx *x = ud;
	char name[1024], hid[256], pw[64], conn[64], fts[64], guest[128], about[160];
	text(prop(o, "name"), name, sizeof(name));
	note_missing(x, o, name);
	text(prop(o, "runtime.connectionState"), conn, sizeof(conn));
	if (is_true(prop(o, "config.template"))) {
		x->res->skipped_templates++;
		return 0;
	}
	xmlNode *ft = prop(o, "config.ftInfo");
	if (number(vcapi_child(ft, "role"), 1) >= 2) {
		x->res->skipped_ft_secondaries++;
		return 0;
	}
	long vcpus = number(prop(o, "config.hardware.numCPU"), 0);
	long mib = number(prop(o, "config.hardware.memoryMB"), 0);
	if ((conn[0] && strcmp(conn, "connected") != 0) || vcpus < 1 || mib < 1) {
		x->res->skipped_disconnected++;
		return 0;
	}
	long h = idmap_find(&x->hosts, text(prop(o, "runtime.host"), hid, sizeof(hid)));
	if (h < 0) {
		x->res->skipped_homeless++;
		return 0;
	}
	struct iestate_vm v = {.host = h, .cluster = x->e->hosts[h].cluster};
	v.vcpus = vcpus > SCENARIO_MAX_VCPUS ? SCENARIO_MAX_VCPUS : (int)vcpus;
	v.memory_gb = import_mib_to_gb((double)mib);
	if (v.memory_gb > SCENARIO_MAX_MEMORY_GB)
		v.memory_gb = SCENARIO_MAX_MEMORY_GB;
	if (!import_parse_power(text(prop(o, "runtime.powerState"), pw, sizeof(pw)), &v.power))
		v.power = SCENARIO_POWER_OFF;
	v.ft = ft_on(text(prop(o, "runtime.faultToleranceState"), fts, sizeof(fts))) ||
	       number(vcapi_child(ft, "role"), 0) == 1;
	devices(prop(o, "config.hardware.device"), &v);
	v.vsphere_pod =
	    !strncmp(text(prop(o, "config.guestId"), guest, sizeof(guest)), "crxPod", 6);
	long rcpu = number(prop(o, "config.cpuAllocation.reservation"), 0);
	long rmem = number(prop(o, "config.memoryAllocation.reservation"), 0);
	if (rcpu > 0 || rmem > 0) {
		snprintf(about, sizeof(about), "reservation: %ld MHz CPU, %ld MB memory", rcpu,
		         rmem);
		v.about = keep(x, about);
	}
	v.name = keep(x, name);
	if (x->oom || iestate_add_vm(x->e, &v) < 0)
		return -ENOMEM;
	return 0;
}

/* ---- the import ----------------------------------------------------------------- */

/* Level and failover-host policies as a percentage of the cluster's hosts. */
static void finish_admission(struct ctx *x)
{
	for (size_t c = 0; c < x->e->nclusters; c++) {
		long k = x->failover_hosts[c];
		if (k < 0)
			continue;
		long n = 0;
		for (size_t h = 0; h < x->e->nhosts; h++)
			n += x->e->hosts[h].cluster == c;
		double pct = n ? ceil(100.0 * (double)k / (double)n) : 0;
		x->e->clusters[c].ha_admission_pct = pct > 100 ? 100 : pct;
	}
}

static enum ivc_status read_all(struct vcapi *api, struct ctx *x, enum vcapi_err *err, char *msg,
                                size_t size)
{
	static const char *const CR_PATHS[] = {"name", "configurationEx"};
	struct {
		const char *type;
		const char *const *paths;
		size_t n;
		vcapi_object_fn fn;
		struct idmap *sort;
	} steps[] = {
	    {"ComputeResource", CR_PATHS, 2, on_compute_resource, &x->crs},
	    {"HostSystem", HOST_PATHS, sizeof(HOST_PATHS) / sizeof(*HOST_PATHS), on_host,
	     &x->hosts},
	    {"VirtualMachine", VM_PATHS, sizeof(VM_PATHS) / sizeof(*VM_PATHS), on_vm, NULL},
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(*steps); i++) {
		int rc =
		    vcapi_retrieve(api, steps[i].type, steps[i].paths, steps[i].n, steps[i].fn, x);
		if (rc == -ENOMEM || rc == (int)VCAPI_ENOMEM || x->oom)
			return IVC_ENOMEM;
		if (rc != 0) {
			*err = (enum vcapi_err)rc;
			snprintf(msg, size, "reading the %s objects: %s", steps[i].type,
			         vcapi_last_message(api));
			return IVC_API;
		}
		if (steps[i].sort)
			idmap_sort(steps[i].sort);
	}
	finish_admission(x);
	return IVC_OK;
}

static void set_vcenter(struct ctx *x, const struct vcapi_about *a)
{
	char about[256];
	uint32_t v;
	if (import_parse_esx_version(a->version, &v)) {
		x->e->vcenter_version = v;
		snprintf(about, sizeof(about), "%s %s build %s (API %s)",
		         !strcmp(a->api_type, "HostAgent") ? "ESXi host" : "vCenter", a->version,
		         a->build, a->api_version);
		x->e->vcenter_about = keep(x, about);
	}
}

static void warn_hosts(struct ctx *x)
{
	const struct ivc_result *r = x->res;
	if (x->missing)
		ilog_warn(x->log,
		          "%ld propert%s could not be read (e.g. %s): lpsim's defaults are written "
		          "in %s place; check the user's permissions",
		          x->missing, x->missing == 1 ? "y" : "ies", x->ex_missing,
		          x->missing == 1 ? "its" : "their");
	if (r->hosts_not_connected)
		ilog_warn(x->log,
		          "%ld host%s not connected in vCenter (see the comments): written as the "
		          "others, check them",
		          r->hosts_not_connected, r->hosts_not_connected == 1 ? " is" : "s are");
	if (r->hosts_in_maintenance)
		ilog_warn(x->log,
		          "%ld host%s in maintenance mode (see the comments): lpsim has no such "
		          "state and remediates %s as the others",
		          r->hosts_in_maintenance, r->hosts_in_maintenance == 1 ? " is" : "s are",
		          r->hosts_in_maintenance == 1 ? "it" : "them");
}

enum ivc_status ivc_run(const struct ivc_request *rq, struct ilog *log, struct ivc_result *res,
                        enum vcapi_err *api_err, char *msg, size_t size)
{
	*res = (struct ivc_result){0};
	*api_err = VCAPI_OK;
	msg[0] = '\0';
	struct ctx x = {.log = log, .res = res};
	struct vcapi *api = NULL;
	enum ivc_status st = IVC_ENOMEM;
	if (!(x.e = iestate_new()))
		return IVC_ENOMEM;
	enum vcapi_err rc = vcapi_open(&rq->api, &api, msg, size);
	if (rc != VCAPI_OK) {
		*api_err = rc;
		st = rc == VCAPI_ENOMEM ? IVC_ENOMEM : IVC_API;
		goto out_free;
	}
	set_vcenter(&x, vcapi_about(api));
	st = read_all(api, &x, api_err, msg, size);
	vcapi_close(api); /* logs out, also after an error */
	if (st != IVC_OK)
		goto out_free;
	warn_hosts(&x);
	static const char *const notes[] = {
	    "Read live from vCenter through the vSphere Web Services API; the mapping of each",
	    "property to each key is in scenarios/FORMAT.md (Importing from vCenter).",
	    "No credentials, session or certificate is written here.",
	};
	struct iestate_meta m = {
	    .command = "lpsim import vcenter",
	    .scenario_name = rq->scenario_name,
	    .description = "Estate read from vCenter by lpsim import vcenter",
	    .notes = notes,
	    .nnotes = sizeof(notes) / sizeof(*notes),
	    .input = "vCenter",
	    .live = true,
	};
	int wr = iestate_write(x.e, &m, log, &res->yaml, &res->len, &res->stats);
	st = wr == 0 ? IVC_OK : wr == -EINVAL ? IVC_EINVAL : IVC_ENOMEM;
out_free:
	idmap_free(&x.crs);
	idmap_free(&x.hosts);
	free(x.failover_hosts);
	iestate_free(x.e);
	return st;
}

void ivc_result_fini(struct ivc_result *res)
{
	free(res->yaml);
	res->yaml = NULL;
	res->len = 0;
}

/* ---- credentials ---------------------------------------------------------------- */

static int parse_credentials(char *data, char *user, char *password, size_t size, char *msg,
                             size_t msize)
{
	bool have_user = false, have_pass = false;
	int line = 0;
	for (char *s = data, *next; s && *s; s = next) {
		line++;
		next = strchr(s, '\n');
		if (next)
			*next++ = '\0';
		size_t len = strlen(s);
		if (len && s[len - 1] == '\r')
			s[--len] = '\0';
		if (!len || s[0] == '#')
			continue;
		char *dst = NULL;
		size_t skip = 0;
		if (!strncmp(s, "user=", 5)) {
			dst = user, skip = 5, have_user = true;
		} else if (!strncmp(s, "password=", 9)) {
			dst = password, skip = 9, have_pass = true;
		} else {
			snprintf(msg, msize, "line %d: expected user=NAME or password=SECRET",
			         line);
			return -EINVAL;
		}
		if (len - skip >= size) {
			snprintf(msg, msize, "line %d: the value is longer than %zu bytes", line,
			         size - 1);
			return -EINVAL;
		}
		memcpy(dst, s + skip, len - skip + 1);
	}
	if (!have_user || !have_pass || !user[0]) {
		snprintf(msg, msize, "needs a line user=NAME and a line password=SECRET");
		return -EINVAL;
	}
	return 0;
}

int ivc_read_credentials(const char *path, char *user, char *password, size_t size, char *msg,
                         size_t msize)
{
	user[0] = password[0] = '\0';
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno;
		snprintf(msg, msize, "%s", strerror(e));
		return -e;
	}
	struct stat st;
	char data[8192];
	int rc = 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(msg, msize, "not a regular file");
		rc = -EINVAL;
	} else if (st.st_mode & 077) {
		snprintf(msg, msize,
		         "permissions %04o let others read or write it: chmod 600 it (refused)",
		         (unsigned)(st.st_mode & 07777));
		rc = -EACCES;
	} else if (st.st_size >= (off_t)sizeof(data)) {
		snprintf(msg, msize, "larger than %zu bytes", sizeof(data) - 1);
		rc = -EINVAL;
	}
	size_t len = 0;
	while (rc == 0) {
		ssize_t n = read(fd, data + len, sizeof(data) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			snprintf(msg, msize, "%s", strerror(errno));
		}
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(data) - 1)
			break;
	}
	close(fd);
	data[len] = '\0';
	if (rc == 0)
		rc = parse_credentials(data, user, password, size, msg, msize);
	volatile char *v = data;
	for (size_t i = 0; i < sizeof(data); i++)
		v[i] = 0;
	if (rc != 0) {
		memset(user, 0, size);
		memset(password, 0, size);
	}
	return rc;
}
