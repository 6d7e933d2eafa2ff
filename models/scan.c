/*
 * scan: the compliance scan, one pass over hosts and one over VMs.
 *
 * Free memory is recomputed the way initial placement spent it: host
 * memory minus each VM placed on it, in inventory order, so the figure is
 * the one placement ended with, bit for bit. The FSR-incompatible VMs are
 * indexed by primary host (counting sort, CSR) so that writing a host's
 * list costs its length, not the cluster's VM count.
 */
#include "models/scan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const reason_names[SCAN_NREASONS] = {
    "vcenter_too_old",
    "host_too_old",
    "tpm",
    "base_build",
    "dpu",
    "drs_not_fully_automated",
    "patch_not_live_patchable",
    "insufficient_memory",
    "live_patch_disabled",
};

static const char *const reason_explanations[SCAN_NREASONS] = {
    "vCenter is older than live patch needs: 8.0 U3, or 9.0 when the patch changes "
    "vmkernel or daemons",
    "the host's ESXi is older than live patch needs: 8.0 U3 for vmx, 9.0 for vmkernel or "
    "daemons",
    "the host has a TPM and runs ESXi older than 9.1, which first live-patches TPM hosts",
    "the host runs another ESXi build than the patch's base_build (a live patch applies to "
    "one build)",
    "the host has a DPU (vSphere Distributed Services Engine), which live patch does not "
    "support",
    "DRS is disabled or not fully automated in the host's cluster",
    "the patch image does not support live patch",
    "free memory after initial placement is less than the patch's temporary reservation",
    "the cluster's live_patch_mode is disable (or the classic strategy runs)",
};

static const char *const incompat_names[SCAN_NINCOMPAT] = {
    "ft",
    "directpath",
    "vsphere_pod",
    "shared_disk",
};

static const char *const path_names[] = {"live", "classic", "none"};

/* The index of the single bit set in bit, or -1 when bit is not one bit below 1 << n. */
static int bit_index(unsigned bit, int n)
{
	for (int i = 0; i < n; i++)
		if (bit == 1u << i)
			return i;
	return -1;
}

const char *scan_reason_name(unsigned bit)
{
	int i = bit_index(bit, SCAN_NREASONS);
	return i < 0 ? NULL : reason_names[i];
}

const char *scan_reason_explain(unsigned bit)
{
	int i = bit_index(bit, SCAN_NREASONS);
	return i < 0 ? NULL : reason_explanations[i];
}

uint32_t scan_min_version(unsigned components)
{
	return components & (SCENARIO_COMPONENT_VMKERNEL | SCENARIO_COMPONENT_DAEMONS)
	           ? SCAN_MIN_KERNEL_VERSION
	           : SCAN_MIN_LIVE_PATCH_VERSION;
}

const char *scan_incompat_name(unsigned bit)
{
	int i = bit_index(bit, SCAN_NINCOMPAT);
	return i < 0 ? NULL : incompat_names[i];
}

const char *scan_path_name(enum scan_path p)
{
	return (unsigned)p < sizeof(path_names) / sizeof(path_names[0]) ? path_names[p] : NULL;
}

void scan_free(struct scan *s)
{
	if (!s)
		return;
	free(s->host_reasons);
	free(s->host_path);
	free(s->host_free_gb);
	free(s->vm_incompat);
	free(s->cluster_blocked);
	free(s->cluster_mode);
	free(s->host_incompat0);
	free(s->incompat_vms);
	free(s);
}

/* The reasons that depend on the host and its cluster, not on placement. */
static unsigned host_reasons(const struct estate *e, size_t h, enum scenario_mode mode)
{
	const struct scenario *sc = e->sc;
	const struct scenario_cluster *c = e->clusters[e->hosts[h].cluster].spec;
	const struct scenario_host *spec = estate_host_spec(e, h);
	unsigned r = 0;
	uint32_t min = scan_min_version(sc->patch.components);
	if (sc->vcenter_version < min)
		r |= SCAN_VCENTER_TOO_OLD;
	if (spec->version < min)
		r |= SCAN_HOST_TOO_OLD;
	if (spec->tpm && spec->version < SCAN_MIN_TPM_HOST_VERSION)
		r |= SCAN_TPM;
	if (sc->patch.base_build && spec->build && spec->build != sc->patch.base_build)
		r |= SCAN_BASE_BUILD;
	if (spec->dpu)
		r |= SCAN_DPU;
	if (!c->drs_enabled || c->drs_automation != SCENARIO_DRS_FULLY_AUTOMATED)
		r |= SCAN_DRS_NOT_FULLY_AUTOMATED;
	if (!sc->patch.live_patchable)
		r |= SCAN_PATCH_NOT_LIVE_PATCHABLE;
	if (mode == SCENARIO_MODE_DISABLE)
		r |= SCAN_LIVE_PATCH_DISABLED;
	return r;
}

static unsigned vm_incompat(const struct scenario_vm *spec)
{
	return (spec->ft ? SCAN_FT : 0u) | (spec->directpath ? SCAN_DIRECTPATH : 0u) |
	       (spec->vsphere_pod ? SCAN_VSPHERE_POD : 0u) |
	       (spec->shared_disk ? SCAN_SHARED_DISK : 0u);
}

/* Indexes the FSR-incompatible VMs by primary host (counting sort). */
static void index_incompat(const struct estate *e, struct scan *s)
{
	uint32_t *start = s->host_incompat0;
	for (size_t v = 0; v < e->nvms; v++)
		if (s->vm_incompat[v])
			start[e->vms[v].host + 1]++;
	for (size_t h = 0; h < e->nhosts; h++)
		start[h + 1] += start[h];
	/* start[h] serves as host h's cursor, then everything shifts back by one host. */
	for (size_t v = 0; v < e->nvms; v++)
		if (s->vm_incompat[v])
			s->incompat_vms[start[e->vms[v].host]++] = (uint32_t)v;
	for (size_t h = e->nhosts; h > 0; h--)
		start[h] = start[h - 1];
	start[0] = 0;
}

int scan_run(const struct estate *e, bool force_disable, struct scan **out)
{
	*out = NULL;
	struct scan *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->force_disable = force_disable;
	s->host_reasons = calloc(e->nhosts + 1, sizeof(*s->host_reasons));
	s->host_path = calloc(e->nhosts + 1, sizeof(*s->host_path));
	s->host_free_gb = calloc(e->nhosts + 1, sizeof(*s->host_free_gb));
	s->vm_incompat = calloc(e->nvms + 1, sizeof(*s->vm_incompat));
	s->cluster_blocked = calloc(e->nclusters + 1, sizeof(*s->cluster_blocked));
	s->cluster_mode = calloc(e->nclusters + 1, sizeof(*s->cluster_mode));
	s->host_incompat0 = calloc(e->nhosts + 1, sizeof(*s->host_incompat0));
	if (!s->host_reasons || !s->host_path || !s->host_free_gb || !s->vm_incompat ||
	    !s->cluster_blocked || !s->cluster_mode || !s->host_incompat0) {
		scan_free(s);
		return -ENOMEM;
	}

	/* VMs: incompatibilities, and the memory they take from their hosts. */
	for (size_t h = 0; h < e->nhosts; h++)
		s->host_free_gb[h] = estate_host_spec(e, h)->memory_gb;
	for (size_t v = 0; v < e->nvms; v++) {
		const struct estate_vm *vm = &e->vms[v];
		const struct scenario_vm *spec = estate_vm_spec(e, v);
		unsigned bits = vm_incompat(spec);
		s->vm_incompat[v] = (uint8_t)bits;
		if (bits)
			s->nincompat++;
		for (int i = 0; i < SCAN_NINCOMPAT; i++)
			if (bits & (1u << i))
				s->incompatible[i]++;
		s->host_free_gb[vm->host] -= spec->memory_gb;
		if (vm->secondary >= 0)
			s->host_free_gb[vm->secondary] -= spec->memory_gb;
	}
	s->incompat_vms = calloc(s->nincompat + 1, sizeof(*s->incompat_vms));
	if (!s->incompat_vms) {
		scan_free(s);
		return -ENOMEM;
	}
	index_incompat(e, s);

	/* Hosts, cluster by cluster: reasons, then the cluster's verdict and paths. */
	double reservation = e->sc->patch.reservation_temporary_gb;
	for (size_t c = 0; c < e->nclusters; c++) {
		const struct estate_cluster *ec = &e->clusters[c];
		enum scenario_mode mode =
		    force_disable ? SCENARIO_MODE_DISABLE : ec->spec->live_patch_mode;
		s->cluster_mode[c] = mode;
		bool all_eligible = true;
		for (size_t h = ec->host0; h < (size_t)ec->host0 + ec->nhosts; h++) {
			unsigned r = host_reasons(e, h, mode);
			if (s->host_free_gb[h] + SCAN_MEMORY_EPSILON_GB < reservation)
				r |= SCAN_INSUFFICIENT_MEMORY;
			s->host_reasons[h] = (uint16_t)r;
			if (r)
				all_eligible = false;
			else
				s->eligible_hosts++;
		}
		s->cluster_blocked[c] = mode == SCENARIO_MODE_ENFORCE && !all_eligible;
		if (s->cluster_blocked[c])
			s->blocked_clusters++;
		for (size_t h = ec->host0; h < (size_t)ec->host0 + ec->nhosts; h++) {
			enum scan_path p;
			if (mode == SCENARIO_MODE_ENFORCE)
				p = all_eligible ? SCAN_PATH_LIVE : SCAN_PATH_NONE;
			else if (mode == SCENARIO_MODE_AUTO)
				p = s->host_reasons[h] ? SCAN_PATH_CLASSIC : SCAN_PATH_LIVE;
			else
				p = SCAN_PATH_CLASSIC;
			s->host_path[h] = (uint8_t)p;
			s->paths[p]++;
		}
	}
	*out = s;
	return 0;
}

/* ---- JSON ------------------------------------------------------------------ */

void scan_json_string(FILE *f, const char *name)
{
	putc('"', f);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				putc(*p, f);
		}
	}
	putc('"', f);
}

/* Writes the names of the bits set in bits as a JSON array. */
static void json_names(FILE *f, unsigned bits, int n, const char *const *names)
{
	putc('[', f);
	bool first = true;
	for (int i = 0; i < n; i++) {
		if (!(bits & (1u << i)))
			continue;
		fprintf(f, "%s\"%s\"", first ? "" : ", ", names[i]);
		first = false;
	}
	putc(']', f);
}

static int json_host(FILE *f, const struct estate *e, const struct scan *s, size_t h)
{
	char name[SCENARIO_MAX_NAME_LEN + 1];
	int rc = estate_host_name(e, h, name, sizeof(name));
	if (rc < 0)
		return rc;
	fputs("    {\"name\": ", f);
	scan_json_string(f, name);
	fprintf(f, ", \"eligible\": %s, \"reasons\": ", s->host_reasons[h] ? "false" : "true");
	json_names(f, s->host_reasons[h], SCAN_NREASONS, reason_names);
	fprintf(f, ", \"path\": \"%s\", \"fsr_incompatible\": [",
	        scan_path_name((enum scan_path)s->host_path[h]));
	for (uint32_t i = s->host_incompat0[h]; i < s->host_incompat0[h + 1]; i++) {
		uint32_t v = s->incompat_vms[i];
		rc = estate_vm_name(e, v, name, sizeof(name));
		if (rc < 0)
			return rc;
		fputs(i > s->host_incompat0[h] ? ", {\"vm\": " : "{\"vm\": ", f);
		scan_json_string(f, name);
		fputs(", \"reasons\": ", f);
		json_names(f, s->vm_incompat[v], SCAN_NINCOMPAT, incompat_names);
		putc('}', f);
	}
	fputs("]}", f);
	return 0;
}

int scan_write_json(FILE *f, const struct estate *e, const struct scan *s)
{
	return scan_write_json_ex(f, e, s, NULL);
}

int scan_write_json_ex(FILE *f, const struct estate *e, const struct scan *s,
                       const struct scan_json_extra *x)
{
	char name[SCENARIO_MAX_NAME_LEN + 1];
	fprintf(f, "{%s\"clusters\": [", x && x->head ? x->head : "");
	for (size_t c = 0; c < e->nclusters; c++) {
		const struct estate_cluster *ec = &e->clusters[c];
		int rc = estate_cluster_name(e, c, name, sizeof(name));
		if (rc < 0)
			return rc;
		fputs(c ? ",\n  {\"name\": " : "\n  {\"name\": ", f);
		scan_json_string(f, name);
		fprintf(f, ", \"mode\": \"%s\", \"blocked\": %s, ",
		        scenario_mode_name(s->cluster_mode[c]),
		        s->cluster_blocked[c] ? "true" : "false");
		if (x && x->cluster)
			x->cluster(f, e, s, c, x->arg);
		fputs("\"hosts\": [", f);
		for (size_t h = ec->host0; h < (size_t)ec->host0 + ec->nhosts; h++) {
			fputs(h > ec->host0 ? ",\n" : "\n", f);
			rc = json_host(f, e, s, h);
			if (rc < 0)
				return rc;
		}
		fputs("]}", f);
		if (ferror(f))
			return -EIO;
	}
	fprintf(f,
	        "],\n \"totals\": {\"hosts\": %zu, \"eligible\": %zu, \"vms\": %zu,\n"
	        "  \"incompatible\": {",
	        e->nhosts, s->eligible_hosts, e->nvms);
	for (int i = 0; i < SCAN_NINCOMPAT; i++)
		fprintf(f, "%s\"%s\": %zu", i ? ", " : "", incompat_names[i], s->incompatible[i]);
	fputs("}}}\n", f);
	return ferror(f) ? -EIO : 0;
}
