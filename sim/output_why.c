/*
 * output_why: why hosts failed or were not started, in words, from one
 * replication's per-host records (rec_host.why), for the run table and
 * summary.json. Failed hosts are named (the first few, with the VM or host
 * the reason names); not_started hosts are counted by reason.
 */
#include "sim/output.h"

#include <stdio.h>
#include <string.h>

#include "models/estate.h"
#include "models/record.h"

#define WHY_NAMED 3 /* failed hosts named before "and N more" */

/* Appends s to buf (of n bytes, at *len), as much as fits. */
static void add(char *buf, size_t n, size_t *len, const char *s)
{
	size_t k = strlen(s);
	if (*len + 1 >= n)
		return;
	if (k > n - *len - 1)
		k = n - *len - 1;
	memcpy(buf + *len, s, k);
	*len += k;
	buf[*len] = '\0';
}

void output_why(const struct estate *e, const struct rec *rec, struct output_strategy *o)
{
	o->why[0] = '\0';
	if (!rec || !rec->detail || !rec->hosts)
		return;
	size_t len = 0, named = 0, failed = 0, stopped = 0, skipped = 0;
	char hn[256], ref[256], stop_at[256] = "";
	for (size_t h = 0; h < rec->nhosts && h < e->nhosts; h++) {
		const struct rec_host *x = &rec->hosts[h];
		if (x->outcome == REC_NOT_STARTED) {
			if (x->why == REC_WHY_STOPPED) {
				stopped++;
				if (!stop_at[0] && x->why_ref >= 0 &&
				    estate_host_name(e, (size_t)x->why_ref, stop_at, sizeof(stop_at)) < 0)
					snprintf(stop_at, sizeof(stop_at), "?");
			} else if (x->why != REC_WHY_NONE) {
				skipped++;
			}
			continue;
		}
		if (x->outcome != REC_FAILED || x->why == REC_WHY_NONE)
			continue;
		if (failed++ >= WHY_NAMED)
			continue;
		if (estate_host_name(e, h, hn, sizeof(hn)) < 0)
			snprintf(hn, sizeof(hn), "?");
		ref[0] = '\0';
		if (x->why_ref >= 0 && x->why != REC_WHY_STOPPED &&
		    estate_vm_name(e, (size_t)x->why_ref, ref, sizeof(ref)) < 0)
			ref[0] = '\0';
		add(o->why, sizeof(o->why), &len, named ? "; " : "");
		add(o->why, sizeof(o->why), &len, hn);
		add(o->why, sizeof(o->why), &len, " failed: ");
		add(o->why, sizeof(o->why), &len, rec_why_explain((enum rec_why)x->why));
		if (ref[0]) {
			add(o->why, sizeof(o->why), &len, " (VM ");
			add(o->why, sizeof(o->why), &len, ref);
			add(o->why, sizeof(o->why), &len, ")");
		}
		named++;
	}
	char t[96];
	if (failed > named) {
		snprintf(t, sizeof(t), "; and %zu more failed", failed - named);
		add(o->why, sizeof(o->why), &len, t);
	}
	if (stopped) {
		snprintf(t, sizeof(t), "%s%zu not started: vLCM stopped the cluster's remediation at ",
			 len ? "; " : "", stopped);
		add(o->why, sizeof(o->why), &len, t);
		add(o->why, sizeof(o->why), &len, stop_at);
		add(o->why, sizeof(o->why), &len, ", a failed host");
	}
	if (skipped) {
		snprintf(t, sizeof(t),
			 "%s%zu not started: parallel remediation skipped them (not in maintenance "
			 "mode)",
			 len ? "; " : "", skipped);
		add(o->why, sizeof(o->why), &len, t);
	}
}
