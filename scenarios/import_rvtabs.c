/*
 * import_rvtabs: RVTools' vCluster, vDatastore and vSource tabs applied
 * to the imported estate, and the scenario's vCenter version (the rules
 * are in import_rvtabs.h). Clusters are found through two maps built
 * from the estate: (server, name) in lower case, and the name alone in
 * lower case; a key two clusters share maps to IROW_AMBIGUOUS and finds none.
 */
#include "scenarios/import_rvtabs.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/diag.h"
#include "scenarios/import_csv.h"
#include "scenarios/import_map.h"
#include "scenarios/import_rows.h"

/* The state of one application. */
struct irv {
	struct iestate *e;
	struct ilog *log;
	struct imap *by_server; /* "server\x1fname" in lower case -> cluster */
	struct imap *by_name;   /* "\x1fname" in lower case -> cluster */
	struct imap *hosts;     /* "\x1fhost" in lower case -> the host's cluster */
	size_t *nhosts;         /* per cluster: its hosts */
	bool oom;
};

/* ---- text ---------------------------------------------------------------------- */

/* A copy of s in the estate; "" and x->oom when memory runs out. */
static const char *keep(struct irv *x, const char *s)
{
	const char *c = iestate_strdup(x->e, s);
	if (!c)
		x->oom = true;
	return c ? c : "";
}

/* ---- values --------------------------------------------------------------------- */

bool irv_parse_drs_behavior(const char *s, enum scenario_drs_automation *a)
{
	if (import_is_word(s, "fullyAutomated"))
		*a = SCENARIO_DRS_FULLY_AUTOMATED;
	else if (import_is_word(s, "partiallyAutomated"))
		*a = SCENARIO_DRS_PARTIALLY_AUTOMATED;
	else if (import_is_word(s, "manual"))
		*a = SCENARIO_DRS_MANUAL;
	else
		return false;
	return true;
}

double irv_admission_pct(long failover_level, size_t hosts)
{
	if (failover_level <= 0 || hosts == 0)
		return 0;
	double pct = 100.0 * (double)failover_level / (double)hosts;
	pct = round(pct * 10.0) / 10.0;
	return pct > 100 ? 100 : pct;
}

/* ---- finding clusters -------------------------------------------------------------- */

static int index_estate(struct irv *x)
{
	const struct iestate *e = x->e;
	x->by_server = imap_new();
	x->by_name = imap_new();
	x->hosts = imap_new();
	x->nhosts = calloc(e->nclusters + 1, sizeof(size_t));
	if (!x->by_server || !x->by_name || !x->hosts || !x->nhosts)
		return -ENOMEM;
	for (size_t c = 0; c < e->nclusters; c++) {
		const struct iestate_cluster *ec = &e->clusters[c];
		if (ec->standalone)
			continue;
		char *ks = irow_lower_key(ec->server, ec->name, strlen(ec->name));
		char *kn = irow_lower_key(NULL, ec->name, strlen(ec->name));
		int rc = !ks || !kn ? -ENOMEM : irow_put_once(x->by_server, ks, (long)c);
		if (rc == 0)
			rc = irow_put_once(x->by_name, kn, (long)c);
		free(ks);
		free(kn);
		if (rc < 0)
			return rc;
	}
	for (size_t h = 0; h < e->nhosts; h++) {
		x->nhosts[e->hosts[h].cluster]++;
		char *k = irow_lower_key(NULL, e->hosts[h].name, strlen(e->hosts[h].name));
		int rc = k ? irow_put_once(x->hosts, k, (long)e->hosts[h].cluster) : -ENOMEM;
		free(k);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The cluster (server, name) names: -1 when none or several; -2 when memory runs out. */
static long find_cluster(struct irv *x, const char *server, const char *name, size_t len)
{
	char *ks = irow_lower_key(server, name, len), *kn = irow_lower_key(NULL, name, len);
	long c = -2;
	if (ks && kn) {
		c = imap_get(x->by_server, ks);
		if (c < 0 || c == IROW_AMBIGUOUS)
			c = imap_get(x->by_name, kn);
		if (c == IROW_AMBIGUOUS)
			c = -1;
	}
	free(ks);
	free(kn);
	return c;
}

/* ---- tabs ------------------------------------------------------------------------ */

static void warn_unmatched(struct irv *x, const struct icsv_table *t, long n, const char *ex)
{
	char sn[80];
	if (n)
		ilog_warn(x->log,
		          "%s: %ld row%s name%s no cluster of the VM or host export (e.g. '%s'): "
		          "ignored",
		          t->file, n, n == 1 ? "" : "s", n == 1 ? "s" : "",
		          irow_snip(sn, sizeof(sn), ex));
}

/*
 * Whether a row's cluster c (find_cluster, vsan_cluster) was found. When
 * not, the row is counted in *unmatched (the first one's name in *ex);
 * -2 sets x->oom.
 */
static bool found(struct irv *x, long c, const char *name, long *unmatched, const char **ex)
{
	if (c == -2)
		x->oom = true;
	else if (c < 0 && !(*unmatched)++)
		*ex = name;
	return c >= 0;
}

enum { VC_NAME, VC_DRS, VC_BEHAVIOR, VC_HA, VC_AC, VC_LEVEL, VC_SERVER, VC_N };

static const struct icsv_column vcluster_cols[VC_N] = {
    [VC_NAME] = {"Name|Cluster", true},
    [VC_DRS] = {"DRS enabled", true},
    [VC_BEHAVIOR] = {"DRS default VM behavior|DRS behavior|DRS automation level", false},
    [VC_HA] = {"HA enabled", true},
    [VC_AC] = {"AdmissionControlEnabled|Admission Control Enabled", false},
    [VC_LEVEL] = {"Failover Level|FailoverLevel", false},
    [VC_SERVER] = {"VI SDK Server|VISDK Server", false},
};

/* One vCluster row into cluster c; false when a value is bad (reported). */
static bool vcluster_row(struct irv *x, const struct icsv_table *t, size_t i, size_t c)
{
	char sn[80], about[240];
	struct iestate_cluster *ec = &x->e->clusters[c];
	bool drs, ha, ac = false, ok = true;
	long level = 0;
	size_t n;
	ok &= irow_get_bool(x->log, t, i, VC_DRS, &drs);
	ok &= irow_get_bool(x->log, t, i, VC_HA, &ha);
	ok &= irow_get_bool(x->log, t, i, VC_AC, &ac);
	const char *beh = icsv_get(t, i, VC_BEHAVIOR);
	enum scenario_drs_automation a = SCENARIO_DRS_FULLY_AUTOMATED;
	bool beh_known = irv_parse_drs_behavior(beh, &a);
	if (!beh_known && (import_trimmed(beh, &n), n > 0)) {
		irow_error(x->log, t, i, VC_BEHAVIOR,
		           "expected fullyAutomated, partiallyAutomated or manual (got '%s')",
		           irow_snip(sn, sizeof(sn), beh));
		ok = false;
	}
	const char *lv = icsv_get(t, i, VC_LEVEL);
	bool level_known = (import_trimmed(lv, &n), n > 0);
	if (level_known && !import_parse_whole(lv, 1000, &level)) {
		irow_error(x->log, t, i, VC_LEVEL,
		           "expected the number of host failures to tolerate, a whole number "
		           "(got '%s')",
		           irow_snip(sn, sizeof(sn), lv));
		ok = false;
	}
	if (!ok)
		return false;
	ec->drs = drs ? IESTATE_YES : IESTATE_NO;
	ec->drs_automation = a;
	snprintf(about, sizeof(about), "vCluster: DRS %s%s%s", drs ? "enabled" : "disabled",
	         beh_known ? ", " : (drs ? "; automation not in the export: lpsim's default" : ""),
	         beh_known ? irow_snip(sn, sizeof(sn), beh) : "");
	ec->drs_about = keep(x, about);
	ec->ha = ha ? IESTATE_YES : IESTATE_NO;
	ec->ha_admission_pct = 0;
	if (!ha)
		snprintf(about, sizeof(about), "vCluster: HA disabled");
	else if (!icsv_has(t, VC_AC))
		snprintf(about, sizeof(about),
		         "vCluster: HA enabled; admission control not in the export: 0, set "
		         "admission_control_pct");
	else if (!ac)
		snprintf(about, sizeof(about), "vCluster: HA enabled, admission control disabled");
	else if (!level_known)
		snprintf(about, sizeof(about),
		         "vCluster: HA enabled, admission control enabled, its failover level not "
		         "in the export: set admission_control_pct");
	else {
		ec->ha_admission_pct = irv_admission_pct(level, x->nhosts[c]);
		snprintf(about, sizeof(about),
		         "vCluster: HA enabled, admission control tolerating %ld host failure%s of "
		         "%zu host%s (the percentage policy's figure; the export does not name the "
		         "policy)",
		         level, level == 1 ? "" : "s", x->nhosts[c], x->nhosts[c] == 1 ? "" : "s");
	}
	ec->ha_about = keep(x, about);
	return true;
}

static void apply_vcluster(struct irv *x, const struct icsv_table *t)
{
	long unmatched = 0;
	const char *ex = NULL;
	for (size_t i = 0; i < t->nrows && !x->oom; i++) {
		const char *name = icsv_get(t, i, VC_NAME);
		long c = find_cluster(x, icsv_get(t, i, VC_SERVER), name, strlen(name));
		if (found(x, c, name, &unmatched, &ex))
			vcluster_row(x, t, i, (size_t)c);
	}
	if (!x->oom)
		warn_unmatched(x, t, unmatched, ex);
}

enum { VD_NAME, VD_TYPE, VD_CLUSTER, VD_HOSTS, VD_SERVER, VD_N };

static const struct icsv_column vdatastore_cols[VD_N] = {
    [VD_NAME] = {"Name|Datastore", true},
    [VD_TYPE] = {"Type", true},
    [VD_CLUSTER] = {"Cluster name|Cluster", false},
    [VD_HOSTS] = {"Hosts", false},
    [VD_SERVER] = {"VI SDK Server|VISDK Server", false},
};

/* The cluster of a vSAN datastore row: by its Cluster name, else by its Hosts; -1 none, -2 oom. */
static long vsan_cluster(struct irv *x, const struct icsv_table *t, size_t i)
{
	const char *cl = icsv_get(t, i, VD_CLUSTER);
	size_t n;
	import_trimmed(cl, &n);
	if (n > 0)
		return find_cluster(x, icsv_get(t, i, VD_SERVER), cl, strlen(cl));
	for (const char *p = icsv_get(t, i, VD_HOSTS); *p;) {
		size_t len = strcspn(p, ",;");
		char *k = irow_lower_key(NULL, p, len);
		if (!k)
			return -2;
		long c = imap_get(x->hosts, k);
		free(k);
		if (c >= 0 && c != IROW_AMBIGUOUS)
			return c;
		p += len + (p[len] != '\0');
	}
	return -1;
}

static void apply_vdatastore(struct irv *x, const struct icsv_table *t)
{
	char about[300], sn[80];
	long unmatched = 0;
	const char *ex = NULL;
	for (size_t c = 0; c < x->e->nclusters; c++) {
		x->e->clusters[c].vsan = IESTATE_NO;
		x->e->clusters[c].vsan_about = "vDatastore: no vSAN datastore";
	}
	for (size_t i = 0; i < t->nrows && !x->oom; i++) {
		if (!import_is_word(icsv_get(t, i, VD_TYPE), "vsan"))
			continue;
		long c = vsan_cluster(x, t, i);
		if (!found(x, c, icsv_get(t, i, VD_NAME), &unmatched, &ex))
			continue;
		snprintf(about, sizeof(about), "vDatastore: vSAN datastore '%s'",
		         irow_snip(sn, sizeof(sn), icsv_get(t, i, VD_NAME)));
		x->e->clusters[c].vsan = IESTATE_YES;
		x->e->clusters[c].vsan_about = keep(x, about);
	}
	if (!x->oom)
		warn_unmatched(x, t, unmatched, ex);
}

enum { VS_SERVER, VS_VERSION, VS_API, VS_BUILD, VS_FULLNAME, VS_N };

static const struct icsv_column vsource_cols[VS_N] = {
    [VS_SERVER] = {"VI SDK Server|VISDK Server", true},
    [VS_VERSION] = {"Version|Product version", false},
    [VS_API] = {"API version", false},
    [VS_BUILD] = {"Build", false},
    [VS_FULLNAME] = {"Fullname|Full name", false},
};

static void apply_vsource(struct irv *x, const struct icsv_table *t)
{
	char about[300], a[80], b[40];
	for (size_t i = 0; i < t->nrows && !x->oom; i++) {
		uint32_t v;
		const char *server = icsv_get(t, i, VS_SERVER);
		if (!import_parse_esx_version(icsv_get(t, i, VS_VERSION), &v) &&
		    !import_parse_esx_version(icsv_get(t, i, VS_API), &v)) {
			irow_error(x->log, t, i, icsv_has(t, VS_VERSION) ? VS_VERSION : VS_API,
			           "expected a vCenter version such as '8.0.3' (got '%s')",
			           irow_snip(a, sizeof(a), icsv_get(t, i, VS_VERSION)));
			continue;
		}
		size_t bn;
		import_trimmed(icsv_get(t, i, VS_BUILD), &bn);
		char ver[32];
		snprintf(about, sizeof(about), "'%s' %s%s%s (vSource)",
		         irow_snip(a, sizeof(a), server),
		         scenario_version_format(v, ver, sizeof(ver)), bn ? " build " : "",
		         bn ? irow_snip(b, sizeof(b), icsv_get(t, i, VS_BUILD)) : "");
		const char *kept = keep(x, about);
		for (size_t c = 0; c < x->e->nclusters; c++) {
			struct iestate_cluster *ec = &x->e->clusters[c];
			/* One vCenter in the export: it is every cluster's, server column or not. */
			if (t->nrows == 1 || (ec->server && import_is_word(ec->server, server))) {
				ec->vcenter_version = v;
				ec->vcenter_about = kept;
			}
		}
	}
}

/* ---- the vCenter version ------------------------------------------------------------ */

/* vcenter.version: the oldest of the clusters with hosts; a warning when they differ. */
static void vcenter_version(struct irv *x)
{
	struct iestate *e = x->e;
	char list[600] = "", ver[32], sn[120];
	size_t n = 0;
	long oldest = -1;
	for (size_t c = 0; c < e->nclusters; c++) {
		const struct iestate_cluster *ec = &e->clusters[c];
		if (!x->nhosts[c] || !ec->vcenter_version)
			continue;
		if (oldest < 0 || ec->vcenter_version < e->clusters[oldest].vcenter_version)
			oldest = (long)c;
		bool seen = false;
		for (size_t d = 0; d < c && !seen; d++)
			seen = x->nhosts[d] && e->clusters[d].vcenter_about && ec->vcenter_about &&
			       !strcmp(e->clusters[d].vcenter_about, ec->vcenter_about);
		if (seen)
			continue;
		n = strlen(list);
		if (n + 4 < sizeof(list))
			snprintf(
			    list + n, sizeof(list) - n, "%s%s", n ? "; " : "",
			    irow_snip(sn, sizeof(sn), ec->vcenter_about ? ec->vcenter_about : "?"));
	}
	if (oldest < 0)
		return;
	e->vcenter_version = e->clusters[oldest].vcenter_version;
	bool differ = false;
	for (size_t c = 0; c < e->nclusters; c++)
		differ |= x->nhosts[c] && e->clusters[c].vcenter_version &&
		          e->clusters[c].vcenter_version != e->vcenter_version;
	char about[700];
	if (differ) {
		snprintf(about, sizeof(about), "the oldest of the export's vCenters (%s)", list);
		ilog_warn(x->log,
		          "the export's vCenters have different versions (%s): vcenter.version is "
		          "the oldest, %s, for every cluster (a scenario has one vCenter version); "
		          "import each vCenter's rows on their own to simulate each with its own",
		          list, scenario_version_format(e->vcenter_version, ver, sizeof(ver)));
	} else {
		snprintf(about, sizeof(about), "from %s",
		         e->clusters[oldest].vcenter_about ? e->clusters[oldest].vcenter_about
		                                           : "?");
	}
	e->vcenter_about = keep(x, about);
}

/* ---- the whole ------------------------------------------------------------------------ */

static void note_tab(struct irv_notes *ns, const char *label, const struct icsv_table *t,
                     const char *what)
{
	if (ns->n < IRV_MAX_NOTES)
		snprintf(ns->line[ns->n++], IRV_NOTE_LEN, "  %-10s %s (%zu row%s): %s", label,
		         t->file, t->nrows, t->nrows == 1 ? "" : "s", what);
}

int irv_apply(const struct import_request *rq, struct iestate *e, struct ilog *log,
              struct irv_notes *notes)
{
	struct irv x = {.e = e, .log = log};
	struct icsv_table *vc = NULL, *vd = NULL, *vs = NULL;
	notes->n = 0;
	int rc = index_estate(&x);
	if (rc < 0)
		goto out_free;
	bool ok = irow_read(&rq->vcluster, "an RVTools vCluster export", vcluster_cols, VC_N, x.log,
	                    &x.oom, &vc);
	ok &= irow_read(&rq->vdatastore, "an RVTools vDatastore export", vdatastore_cols, VD_N,
	                x.log, &x.oom, &vd);
	ok &= irow_read(&rq->vsource, "an RVTools vSource export", vsource_cols, VS_N, x.log,
	                &x.oom, &vs);
	if (!ok || x.oom)
		goto out_free;
	if (vc) {
		apply_vcluster(&x, vc);
		note_tab(notes, "vCluster", vc,
		         "DRS enabled and default VM behavior -> drs; HA "
		         "enabled, AdmissionControlEnabled, Failover Level -> ha");
	}
	if (vd) {
		apply_vdatastore(&x, vd);
		note_tab(notes, "vDatastore", vd, "a datastore of Type vsan -> vsan: true");
	}
	if (vs) {
		apply_vsource(&x, vs);
		note_tab(notes, "vSource", vs, "each vCenter's Version and Build");
	}
	if (!x.oom && !ilog_failed(log))
		vcenter_version(&x);
	rc = 0;
out_free:
	imap_free(x.by_server);
	imap_free(x.by_name);
	imap_free(x.hosts);
	free(x.nhosts);
	icsv_free(vc);
	icsv_free(vd);
	icsv_free(vs);
	if (rc == 0 && x.oom)
		rc = -ENOMEM;
	if (rc == 0 && ilog_failed(log))
		rc = -EINVAL;
	return rc;
}
