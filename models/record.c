/*
 * record: one replication's results; see record.h. The growable arrays
 * double their capacity, so appending is amortised O(1).
 */
#include "models/record.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int rec_init(struct rec *r, size_t nhosts, size_t nvms, bool detail)
{
	memset(r, 0, sizeof(*r));
	r->nvms = nvms;
	r->nhosts = nhosts;
	r->detail = detail;
	/* The downtimes, then the bits of `sole`, in one block. */
	size_t words = nvms / 64 + 1;
	r->vm_downtime = calloc(nvms + 1 + words, sizeof(double));
	if (!r->vm_downtime)
		goto out_oom;
	r->sole = (uint64_t *)(r->vm_downtime + nvms + 1);
	if (detail) {
		r->hosts = calloc(nhosts + 1, sizeof(*r->hosts));
		r->vms = calloc(nvms + 1, sizeof(*r->vms));
		if (!r->hosts || !r->vms)
			goto out_oom;
	}
	return 0;
out_oom:
	rec_fini(r);
	return -ENOMEM;
}

int rec_init_clusters(struct rec *r, size_t nclusters)
{
	free(r->clusters);
	r->clusters = calloc(nclusters + 1, sizeof(*r->clusters));
	r->nclusters = r->clusters ? nclusters : 0;
	return r->clusters ? 0 : -ENOMEM;
}

void rec_note_host(struct rec *r, uint32_t c, enum rec_outcome o, double left_s, bool unfinished,
		   double compliant_at_s)
{
	if (c >= r->nclusters)
		return;
	struct rec_cluster *x = &r->clusters[c];
	x->outcomes[o]++;
	x->unfinished += unfinished;
	if (!isnan(left_s) && left_s > x->makespan_s)
		x->makespan_s = left_s;
	if (isnan(compliant_at_s))
		x->time_to_compliance_s = (double)NAN;
	else {
		x->exposure_host_hours += compliant_at_s / 3600.0;
		if (compliant_at_s > x->time_to_compliance_s) /* false once NaN */
			x->time_to_compliance_s = compliant_at_s;
	}
}

void rec_cluster_fields(const struct rec_cluster *x, double *out)
{
	out[0] = x->makespan_s;
	out[1] = x->time_to_compliance_s;
	out[2] = x->exposure_host_hours;
	out[3] = x->downtime_total_s;
	out[4] = x->unfinished;
	for (int k = 0; k < 5; k++)
		out[5 + k] = x->outcomes[k];
	out[10] = 0; /* room for a field to come */
}

void rec_cluster_from_fields(struct rec_cluster *x, const double *in)
{
	x->makespan_s = in[0];
	x->time_to_compliance_s = in[1];
	x->exposure_host_hours = in[2];
	x->downtime_total_s = in[3];
	x->unfinished = (uint32_t)in[4];
	for (int k = 0; k < 5; k++)
		x->outcomes[k] = (uint32_t)in[5 + k];
}

void rec_note_vm(struct rec *r, uint32_t c, double downtime_s)
{
	if (c < r->nclusters)
		r->clusters[c].downtime_total_s += downtime_s;
}

void rec_fini(struct rec *r)
{
	free(r->clusters);
	free(r->vm_downtime);
	free(r->stuns);
	free(r->hosts);
	free(r->vms);
	free(r->spans);
	free(r->steps);
	memset(r, 0, sizeof(*r));
}

void rec_trim(struct rec *r)
{
	if (r->nstuns >= r->capstuns)
		return;
	if (r->nstuns == 0) {
		free(r->stuns);
		r->stuns = NULL;
		r->capstuns = 0;
		return;
	}
	double *p = realloc(r->stuns, r->nstuns * sizeof(double));
	if (p) { /* else the larger block stays: no harm */
		r->stuns = p;
		r->capstuns = r->nstuns;
	}
}

/* Makes room for one more element of size sz in *v (n used, *cap allocated). */
static int reserve(void **v, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? 2 * *cap : 16;
	void *p = realloc(*v, c * sz);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

size_t rec_stun_count(const struct rec *r)
{
	size_t n = r->nstuns;
	for (size_t w = 0; w <= r->nvms / 64; w++)
		n += (size_t)__builtin_popcountll(r->sole[w]);
	return n;
}

size_t rec_stuns_copy(const struct rec *r, double *out)
{
	size_t k = 0;
	for (size_t v = 0; v < r->nvms; v++)
		if (rec_is_sole_stun(r, v))
			out[k++] = r->vm_downtime[v];
	for (size_t i = 0; i < r->nstuns; i++)
		out[k++] = r->stuns[i];
	return k;
}

int rec__add_stun_grow(struct rec *r, double stun_s)
{
	if (reserve((void **)&r->stuns, r->nstuns, &r->capstuns, sizeof(double)) < 0)
		return -ENOMEM;
	r->stuns[r->nstuns++] = stun_s;
	return 0;
}

int rec_add_span(struct rec *r, uint32_t host, enum rec_state st, double start_s, double end_s)
{
	if (reserve((void **)&r->spans, r->nspans, &r->capspans, sizeof(*r->spans)) < 0)
		return -ENOMEM;
	r->spans[r->nspans++] = (struct rec_span){host, (uint8_t)st, start_s, end_s};
	return 0;
}

int rec_add_step(struct rec *r, double t_s, uint32_t compliant)
{
	if (r->nsteps && r->steps[r->nsteps - 1].t_s == t_s) {
		r->steps[r->nsteps - 1].compliant = compliant; /* same instant: keep the last */
		return 0;
	}
	if (reserve((void **)&r->steps, r->nsteps, &r->capsteps, sizeof(*r->steps)) < 0)
		return -ENOMEM;
	r->steps[r->nsteps++] = (struct rec_step){t_s, compliant};
	return 0;
}

const char *rec_path_name(enum rec_path p)
{
	static const char *const names[] = {"live", "classic", "none"};
	return (unsigned)p < 3 ? names[p] : "?";
}

const char *rec_outcome_name(enum rec_outcome o)
{
	static const char *const names[] = {"compliant", "non_compliant", "failed", "blocked",
					    "not_started"};
	return (unsigned)o < 5 ? names[o] : "?";
}

const char *rec_why_name(enum rec_why w)
{
	static const char *const names[REC_WHY_N] = {
	    "",           "cannot_move",     "drs_not_automated", "no_room", "ha_admission",
	    "ft_busy",    "vmotion_failed",  "install_failed",    "patch_failed",
	    "crashed",    "stopped",
	};
	return (unsigned)w < REC_WHY_N ? names[w] : "?";
}

const char *rec_why_explain(enum rec_why w)
{
	static const char *const text[REC_WHY_N] = {
	    "",
	    "a running VM that cannot be vMotioned kept it out of maintenance mode "
	    "(pre_remediation_power_action do_not_change)",
	    "DRS is not fully automated: vLCM cannot evacuate a running VM",
	    "no host had room (memory, vCPUs or the rules) for a VM",
	    "HA admission control would have been violated",
	    "an FT VM's other part was busy on another host",
	    "a vMotion of the evacuation failed",
	    "the install failed",
	    "the live patch failed and was rolled back",
	    "the host crashed",
	    "the cluster's remediation stopped at a failed host",
	};
	return (unsigned)w < REC_WHY_N ? text[w] : "?";
}

const char *rec_remediation_name(enum rec_remediation m)
{
	static const char *const names[] = {"none",        "fsr",       "vmotion",
					    "power_cycle", "power_off", "suspend"};
	return (unsigned)m < 6 ? names[m] : "?";
}

const char *rec_state_name(enum rec_state s)
{
	static const char *const names[REC_ST_N] = {
		[REC_ST_PENDING] = "pending",
		[REC_ST_ENTERING_PARTIAL_MM] = "entering_partial_mm",
		[REC_ST_MOUNTING] = "mounting",
		[REC_ST_PATCHING] = "patching",
		[REC_ST_ROLLBACK] = "rollback",
		[REC_ST_RETRY_WAIT] = "retry_wait",
		[REC_ST_FSR] = "fsr",
		[REC_ST_EXITING_PARTIAL_MM] = "exiting_partial_mm",
		[REC_ST_DONE] = "done",
		[REC_ST_FAILED] = "failed",
		[REC_ST_BLOCKED] = "blocked",
		[REC_ST_ENTERING_MM] = "entering_mm",
		[REC_ST_INSTALLING] = "installing",
		[REC_ST_REBOOTING] = "rebooting",
		[REC_ST_EXITING_MM] = "exiting_mm",
	};
	return (unsigned)s < REC_ST_N ? names[s] : "?";
}
