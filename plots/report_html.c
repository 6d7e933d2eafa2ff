/*
 * report_html: the report as one self-contained HTML file; see
 * report_html.h. This file writes the document, its style and script,
 * and the tables; report_html_chart.c draws the SVG charts.
 *
 * Every row, lane and column that belongs to a strategy carries
 * data-strategy, every one that belongs to a cluster data-cluster: the
 * script's toggles and filter act on those attributes only. Sortable
 * tables carry class "sortable"; a cell's data-v, when present, is the
 * number it sorts by (the text is what people read).
 */
#include "plots/report_html.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "models/record.h"
#include "models/scan.h"
#include "plots/plot.h"
#include "plots/plot_draw.h"
#include "sim/atomicio.h"

#ifndef LPSIM_VERSION
#define LPSIM_VERSION "unknown"
#endif

void report_html_opts_default(struct report_html_opts *o)
{
	o->window_s = NAN;
}

bool report_html_path(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/'))
		return false;
	return strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0;
}

void report_html__esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

#define esc report_html__esc

/* ---- style and script -------------------------------------------------------- */

static const char style[] =
	"body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:1.5em auto;max-width:1100px;"
	"color:#222;padding:0 1em;line-height:1.4}\n"
	"h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;"
	"border-bottom:1px solid #ccc}\n"
	".sub{color:#555;margin-top:0}.note{color:#555;font-size:.9em}\n"
	"table{border-collapse:collapse;margin:.5em 0;font-size:.9em}\n"
	"th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}\n"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"thead th{background:#f2f2f2}\n"
	"table.sortable thead th{cursor:pointer}\n"
	"th[aria-sort=ascending]::after{content:' \\25B2'}"
	"th[aria-sort=descending]::after{content:' \\25BC'}\n"
	"#controls{background:#f7f7f7;border:1px solid #ddd;padding:.5em 1em;position:sticky;top:0;"
	"z-index:2}\n"
	"#controls label{margin-right:1.2em}\n"
	"#tip{position:fixed;display:none;background:#fff;border:1px solid #888;padding:.4em .6em;"
	"font-size:.85em;white-space:pre;pointer-events:none;z-index:3;box-shadow:2px 2px 6px #aaa}\n"
	"#detail{white-space:pre;font-size:.85em;background:#fafafa;border:1px solid #ddd;"
	"padding:.5em;min-height:1em}\n"
	"svg text{font-family:'DejaVu Sans',Verdana,sans-serif}\n"
	"svg .lane:hover rect.bg{fill:#fff3c4}\n"
	".legend span{display:inline-block;margin-right:1em;font-size:.85em}\n"
	".legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;"
	"vertical-align:middle;border:1px solid #999}\n"
	".fits{color:#0a6e2b}.nofit{color:#b3261e;font-weight:bold}\n"
	"[hidden]{display:none!important}\n";

/* The script: toggles, the cluster filter, hover details, sortable
 * tables, the URL fragment, and the error collector's report. */
static const char script[] =
	"(function(){\n"
	"var st=document.getElementById('js-status');\n"
	"function $$(q,r){return Array.prototype.slice.call((r||document).querySelectorAll(q));}\n"
	"var hide={},cluster='';\n"
	"function apply(){\n"
	" $$('[data-strategy]').forEach(function(e){if(e.tagName==='INPUT')return;\n"
	"  var off=hide[e.getAttribute('data-strategy')]||"
	"(cluster&&e.hasAttribute('data-cluster')&&e.getAttribute('data-cluster')!==cluster);\n"
	"  if(off)e.setAttribute('hidden','');else e.removeAttribute('hidden');});\n"
	" $$('[data-cluster]:not([data-strategy])').forEach(function(e){\n"
	"  if(cluster&&e.getAttribute('data-cluster')!==cluster)e.setAttribute('hidden','');"
	"else e.removeAttribute('hidden');});\n"
	" $$('svg.timeline').forEach(relayout);\n"
	" $$('input.strategy').forEach(function(c){c.checked=!hide[c.value];});\n"
	" var sel=document.getElementById('cluster');if(sel)sel.value=cluster;\n"
	"}\n"
	"function relayout(svg){\n"
	" var y=+svg.getAttribute('data-top');\n"
	" $$('g.row',svg).forEach(function(g){if(g.hasAttribute('hidden'))return;\n"
	"  g.setAttribute('transform','translate(0,'+y+')');y+=+g.getAttribute('data-h');});\n"
	" y+=10;svg.setAttribute('height',y);svg.setAttribute('viewBox','0 0 '+"
	"svg.getAttribute('width')+' '+y);\n"
	"}\n"
	"var tip=document.getElementById('tip'),detail=document.getElementById('detail');\n"
	"$$('g.lane').forEach(function(g){var t=g.querySelector('title');\n"
	" if(t){g.setAttribute('data-tip',t.textContent);t.parentNode.removeChild(t);}\n"
	" g.addEventListener('mousemove',function(ev){tip.textContent=g.getAttribute('data-tip');\n"
	"  tip.style.display='block';tip.style.left=(ev.clientX+14)+'px';"
	"tip.style.top=(ev.clientY+14)+'px';});\n"
	" g.addEventListener('mouseleave',function(){tip.style.display='none';});\n"
	" g.addEventListener('click',function(){show(g);});\n"
	"});\n"
	"function show(g){detail.textContent=g.getAttribute('data-tip');"
	"detail.setAttribute('data-host',g.getAttribute('data-host')||'');}\n"
	"function key(td){var v=td.getAttribute('data-v');"
	"if(v!==null&&v!=='')return +v;return td.textContent.toLowerCase();}\n"
	"function sort(th,desc){var tb=th.closest('table'),i=th.cellIndex,b=tb.tBodies[0];\n"
	" var rows=Array.prototype.slice.call(b.rows);\n"
	" rows.sort(function(p,q){var a=key(p.cells[i]),c=key(q.cells[i]);\n"
	"  if(typeof a!==typeof c){a=String(a);c=String(c);}\n"
	"  var r=a<c?-1:a>c?1:0;return desc?-r:r;});\n"
	" rows.forEach(function(r){b.appendChild(r);});\n"
	" $$('th',tb.tHead).forEach(function(h){h.removeAttribute('aria-sort');});\n"
	" th.setAttribute('aria-sort',desc?'descending':'ascending');}\n"
	"$$('table.sortable thead th').forEach(function(th){th.addEventListener('click',function(){\n"
	" sort(th,th.getAttribute('aria-sort')==='ascending');});});\n"
	"$$('input.strategy').forEach(function(c){c.addEventListener('change',function(){\n"
	" hide[c.value]=!c.checked;apply();});});\n"
	"var sel=document.getElementById('cluster');\n"
	"if(sel)sel.addEventListener('change',function(){cluster=sel.value;apply();});\n"
	"var h=decodeURIComponent(location.hash.replace(/^#/,'')).split('&');\n"
	"h.forEach(function(kv){var i=kv.indexOf('='),k=kv.slice(0,i),v=kv.slice(i+1);\n"
	" if(k==='cluster')cluster=v;\n"
	" else if(k==='hide')v.split(',').forEach(function(s){hide[s]=true;});\n"
	" else if(k==='host'){var g=$$('g.lane').filter(function(x){"
	"return x.getAttribute('data-host')===v;})[0];if(g)show(g);}\n"
	" else if(k==='sort'){var p=v.split(':'),t=document.getElementById(p[0]);\n"
	"  if(t){var th=$$('thead th',t).filter(function(x){"
	"return x.getAttribute('data-col')===p[1];})[0];if(th)sort(th,p[2]==='desc');}}\n"
	"});\n"
	"document.getElementById('controls').removeAttribute('hidden');\n"
	"apply();\n"
	"st.setAttribute('data-state','ready');\n"
	"})();\n";

/* Runs first: collects every error a script raises into #js-status. */
static const char collector[] =
	"window.addEventListener('error',function(e){var s=document.getElementById('js-status');"
	"if(!s)return;s.setAttribute('data-errors',String(+s.getAttribute('data-errors')+1));"
	"s.textContent+='script error: '+e.message+'\\n';});\n";

/* ---- cells ---------------------------------------------------------------------- */

/* Cells belong to a strategy (k: its key) or to none (k NULL). */
static void td_attr(FILE *f, const char *k)
{
	if (k)
		fprintf(f, "<td class=\"n\" data-strategy=\"%s\"", k);
	else
		fputs("<td class=\"n\"", f);
}

static void td_none(FILE *f, const char *k)
{
	td_attr(f, k);
	fputs(" data-v=\"\">&ndash;</td>", f);
}

static void td_dur(FILE *f, const char *k, double s)
{
	char b[48];
	if (isnan(s)) {
		td_none(f, k);
		return;
	}
	td_attr(f, k);
	fprintf(f, " data-v=\"%.3f\">%s</td>", s, plot_fmt_duration(b, sizeof(b), s));
}

static void td_count(FILE *f, const char *k, double v)
{
	char b[48];
	if (isnan(v)) {
		td_none(f, k);
		return;
	}
	td_attr(f, k);
	fprintf(f, " data-v=\"%.6g\">%s</td>", v, plot_fmt_count(b, sizeof(b), v));
}

static void td_text(FILE *f, const char *s)
{
	fputs("<td>", f);
	esc(f, s);
	fputs("</td>", f);
}

static const char *strat_key(enum scenario_strategy s)
{
	return s == SCENARIO_STRATEGY_CLASSIC ? "classic" : "live_patch";
}

static void fmt_val(char *b, size_t len, double v, bool time)
{
	if (time)
		plot_fmt_duration(b, len, v);
	else if (fabs(v) >= 1000)
		plot_fmt_count(b, len, v);
	else
		plot_fmt_num(b, len, v);
}

/* A STAT's mean, with its 95% interval when two replications or more made it. */
static void td_stat(FILE *f, const char *k, const struct stat_summary *s, bool time,
                    const char *unit)
{
	char a[48], b[48], c[48];
	if (s->n == 0 || isnan(s->mean)) {
		td_none(f, k);
		return;
	}
	fmt_val(a, sizeof(a), s->mean, time);
	td_attr(f, k);
	fprintf(f, " data-v=\"%.6g\">%s%s%s", s->mean, a, unit ? " " : "", unit ? unit : "");
	if (s->n >= 2 && !isnan(s->ci95_lo) && !isnan(s->ci95_hi)) {
		fmt_val(b, sizeof(b), s->ci95_lo, time);
		fmt_val(c, sizeof(c), s->ci95_hi, time);
		fprintf(f, " <span class=\"note\">[%s, %s]</span>", b, c);
	}
	fputs("</td>", f);
}

static void td_p95(FILE *f, const char *k, const struct stat_summary *s, bool time)
{
	char a[48];
	if (s->n == 0 || isnan(s->p95)) {
		td_none(f, k);
		return;
	}
	fmt_val(a, sizeof(a), s->p95, time);
	td_attr(f, k);
	fprintf(f, " data-v=\"%.6g\">%s</td>", s->p95, a);
}

/* ---- the summary ---------------------------------------------------------------- */

struct metric_row {
	const char *label;
	size_t off; /* offsetof(struct output_strategy, the STAT) */
	bool time;
	const char *unit;
};

#define M(l, fld, t, u) {l, offsetof(struct output_strategy, fld), t, u}
static const struct metric_row metric_rows[] = {
	M("Makespan (start to last host done)", makespan_s, true, NULL),
	M("Time to compliance", time_to_compliance_s, true, NULL),
	M("Exposure (host-hours not compliant)", exposure_host_hours, false, "host-h"),
	M("VM downtime, all VMs together", downtime_total_s, true, NULL),
	M("VM downtime per VM", downtime_per_vm_s, true, NULL),
	M("Stun, per stun", stun_s, true, NULL),
	M("Hosts patched live", hosts_live, false, NULL),
	M("Hosts patched the classic way", hosts_classic, false, NULL),
	M("Hosts compliant at the end", hosts_compliant, false, NULL),
	M("Hosts failed", hosts_failed, false, NULL),
	M("Hosts blocked", hosts_blocked, false, NULL),
	M("Hosts not started", hosts_not_started, false, NULL),
	M("VMs fast-suspend-resumed", vms_fsr, false, NULL),
	M("vMotions", vms_vmotion, false, NULL),
	M("VMs power-cycled", vms_power_cycle, false, NULL),
	M("VMs powered off or suspended", vms_powered_off, false, NULL),
};
#undef M

static void summary_table(FILE *f, const struct output_summary *sum)
{
	fputs("<table id=\"summary\"><thead><tr><th rowspan=\"2\">Measure</th>", f);
	for (size_t i = 0; i < sum->nstrategies; i++) {
		enum scenario_strategy s = sum->strategies[i].strategy;
		fprintf(f, "<th data-strategy=\"%s\" colspan=\"2\">%s</th>", strat_key(s),
			plot_strategy_label(s));
	}
	fputs("</tr><tr>", f);
	for (size_t i = 0; i < sum->nstrategies; i++) {
		const char *k = strat_key(sum->strategies[i].strategy);
		fprintf(f, "<th data-strategy=\"%s\">mean%s</th><th data-strategy=\"%s\">p95</th>", k,
			sum->replications >= 2 ? " [95% CI]" : "", k);
	}
	fputs("</tr></thead><tbody>\n", f);
	for (size_t m = 0; m < sizeof(metric_rows) / sizeof(metric_rows[0]); m++) {
		const struct metric_row *mr = &metric_rows[m];
		fprintf(f, "<tr><th>%s</th>", mr->label);
		for (size_t i = 0; i < sum->nstrategies; i++) {
			const struct output_strategy *os = &sum->strategies[i];
			const struct stat_summary *s =
			    (const struct stat_summary *)(const void *)((const char *)os + mr->off);
			td_stat(f, strat_key(os->strategy), s, mr->time, mr->unit);
			td_p95(f, strat_key(os->strategy), s, mr->time);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
	if (sum->replications < 2)
		fputs("<p class=\"note\">One replication: no confidence interval; the p95 is that "
		      "replication's value.</p>\n",
		      f);
}

/* Does the p95 makespan of each strategy fit the window? */
static void window_verdict(FILE *f, const struct output_summary *sum, double window_s)
{
	char w[48], m[48];
	if (isnan(window_s))
		return;
	fprintf(f, "<ul id=\"window\">");
	for (size_t i = 0; i < sum->nstrategies; i++) {
		const struct output_strategy *os = &sum->strategies[i];
		double p95 = os->makespan_s.p95;
		bool fits = p95 <= window_s;
		fprintf(f, "<li data-strategy=\"%s\" class=\"%s\">%s: p95 makespan %s %s the %s window</li>",
			strat_key(os->strategy), fits ? "fits" : "nofit",
			plot_strategy_label(os->strategy), plot_fmt_duration(m, sizeof(m), p95),
			isnan(p95) ? "cannot be compared with" : fits ? "fits" : "does not fit",
			plot_fmt_duration(w, sizeof(w), window_s));
	}
	fputs("</ul>\n", f);
}

/* ---- hosts, clusters and VMs ------------------------------------------------------ */

/* A host matters at fleet scale when it did not end compliant. */
static bool host_matters(const struct plot_host *h)
{
	return h->outcome != REC_COMPLIANT;
}

static void host_row(FILE *f, const char *k, const struct plot_host *h)
{
	fprintf(f, "<tr data-strategy=\"%s\" data-cluster=\"", k);
	esc(f, h->cluster);
	fputs("\">", f);
	td_text(f, h->cluster);
	td_text(f, h->name);
	td_text(f, rec_path_name(h->path));
	td_text(f, rec_outcome_name(h->outcome));
	td_dur(f, NULL, h->start_s);
	td_dur(f, NULL, h->end_s);
	td_dur(f, NULL, h->compliant_at_s);
	td_count(f, NULL, h->attempts);
	td_count(f, NULL, h->fsr);
	td_count(f, NULL, h->vmotion);
	td_count(f, NULL, h->manual);
	fputs("</tr>\n", f);
}

/* The host that left remediation last (the makespan's), or SIZE_MAX. */
static size_t latest_host(const struct plot_strategy *ps)
{
	size_t best = SIZE_MAX;
	for (size_t i = 0; i < ps->nhosts; i++)
		if (!isnan(ps->hosts[i].end_s) &&
		    (best == SIZE_MAX || ps->hosts[i].end_s > ps->hosts[best].end_s))
			best = i;
	return best;
}

static void hosts_table(FILE *f, const struct plot_run *run)
{
	fputs("<h2 id=\"hosts-h\">Hosts</h2>\n", f);
	if (!(run->have & PLOT_FILE_HOSTS)) {
		fputs("<p class=\"note\">hosts.csv is not in the directory: no host table.</p>\n", f);
		return;
	}
	fputs("<table id=\"hosts\" class=\"sortable\"><thead><tr>"
	      "<th data-col=\"cluster\">Cluster</th><th data-col=\"host\">Host</th>"
	      "<th data-col=\"path\">Path</th><th data-col=\"outcome\">Outcome</th>"
	      "<th data-col=\"start\">Start</th><th data-col=\"end\">End</th>"
	      "<th data-col=\"compliant\">Compliant at</th><th data-col=\"attempts\">Attempts</th>"
	      "<th data-col=\"fsr\">VMs FSR</th><th data-col=\"vmotion\">vMotions</th>"
	      "<th data-col=\"incompatible\">FSR-incompatible VMs</th></tr></thead><tbody>\n",
	      f);
	char notes[2][256] = {"", ""};
	for (size_t si = 0; si < run->nstrategies; si++) {
		const struct plot_strategy *ps = &run->st[si];
		const char *k = strat_key(ps->strategy);
		bool all = ps->nhosts <= REPORT_HTML_HOST_LANES;
		size_t late = latest_host(ps), shown = 0, matter = 0;
		for (size_t i = 0; i < ps->nhosts; i++) {
			const struct plot_host *h = &ps->hosts[i];
			bool m = host_matters(h);
			matter += m;
			if (all || i == late || (m && shown < REPORT_HTML_ROWS_MAX)) {
				host_row(f, k, h);
				shown++;
			}
		}
		if (!all) {
			char a[48], b[48];
			snprintf(notes[si], sizeof(notes[si]),
				 "%s: %s of %s hosts listed: those not compliant at the end (%s)%s and "
				 "the last to finish.",
				 plot_strategy_label(ps->strategy), plot_fmt_count(a, sizeof(a), (double)shown),
				 plot_fmt_count(b, sizeof(b), (double)ps->nhosts),
				 plot_fmt_count((char[48]){0}, 48, (double)matter),
				 matter > REPORT_HTML_ROWS_MAX ? ", the first of them in inventory order" : "");
		}
	}
	fputs("</tbody></table>\n", f);
	for (size_t si = 0; si < run->nstrategies; si++)
		if (notes[si][0])
			fprintf(f, "<p class=\"note\" data-strategy=\"%s\">%s</p>\n",
				strat_key(run->st[si].strategy), notes[si]);
}

/* Per-cluster totals of one strategy. */
struct cl_sum {
	uint32_t hosts, compliant, failed, blocked, not_started, other;
	double first_start, last_end;
};

static struct cl_sum *cluster_sums(const struct plot_strategy *ps)
{
	struct cl_sum *c = calloc(ps->nclusters ? ps->nclusters : 1, sizeof(*c));
	if (!c)
		return NULL;
	for (size_t i = 0; i < ps->nclusters; i++)
		c[i].first_start = c[i].last_end = NAN;
	for (size_t i = 0; i < ps->nhosts; i++) {
		const struct plot_host *h = &ps->hosts[i];
		struct cl_sum *s = &c[h->cluster_idx];
		s->hosts++;
		switch (h->outcome) {
		case REC_COMPLIANT:
			s->compliant++;
			break;
		case REC_FAILED:
			s->failed++;
			break;
		case REC_BLOCKED:
			s->blocked++;
			break;
		case REC_NOT_STARTED:
			s->not_started++;
			break;
		default:
			s->other++;
		}
		if (!isnan(h->start_s) && !(h->start_s >= s->first_start))
			s->first_start = h->start_s;
		if (!isnan(h->end_s) && !(h->end_s <= s->last_end))
			s->last_end = h->end_s;
	}
	return c;
}

/* Worse first: more hosts not compliant, then later to finish, then inventory order. */
static int cl_worse(const struct cl_sum *a, const struct cl_sum *b)
{
	uint32_t na = a->hosts - a->compliant, nb = b->hosts - b->compliant;
	if (na != nb)
		return na > nb ? -1 : 1;
	double ea = isnan(a->last_end) ? -1 : a->last_end, eb = isnan(b->last_end) ? -1 : b->last_end;
	return ea > eb ? -1 : ea < eb ? 1 : 0;
}

/* Insertion into a bounded list: O(clusters x max), fine for max in the hundreds. */
size_t plot__rank_clusters(const struct plot_strategy *ps, size_t *order, size_t max)
{
	struct cl_sum *c = cluster_sums(ps);
	if (!c)
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < ps->nclusters; i++) {
		size_t pos = n;
		while (pos > 0 && cl_worse(&c[i], &c[order[pos - 1]]) < 0)
			pos--;
		if (pos >= max)
			continue;
		if (n < max)
			n++;
		memmove(order + pos + 1, order + pos, (n - 1 - pos) * sizeof(*order));
		order[pos] = i;
	}
	free(c);
	return n;
}

static int clusters_table(FILE *f, const struct plot_run *run)
{
	if (!(run->have & PLOT_FILE_HOSTS))
		return 0;
	fputs("<h2 id=\"clusters-h\">Clusters</h2>\n"
	      "<table id=\"clusters\" class=\"sortable\"><thead><tr>"
	      "<th data-col=\"strategy\">Strategy</th><th data-col=\"cluster\">Cluster</th>"
	      "<th data-col=\"hosts\">Hosts</th><th data-col=\"compliant\">Compliant</th>"
	      "<th data-col=\"failed\">Failed</th><th data-col=\"blocked\">Blocked</th>"
	      "<th data-col=\"not_started\">Not started</th>"
	      "<th data-col=\"other\">Not compliant (other)</th>"
	      "<th data-col=\"start\">First start</th><th data-col=\"end\">Last host done</th>"
	      "</tr></thead><tbody>\n",
	      f);
	char notes[2][256] = {"", ""};
	for (size_t si = 0; si < run->nstrategies; si++) {
		const struct plot_strategy *ps = &run->st[si];
		const char *k = strat_key(ps->strategy);
		struct cl_sum *c = cluster_sums(ps);
		size_t *order = malloc((ps->nclusters ? ps->nclusters : 1) * sizeof(*order));
		if (!c || !order) {
			free(c);
			free(order);
			return -ENOMEM;
		}
		size_t n = plot__rank_clusters(ps, order, REPORT_HTML_ROWS_MAX);
		for (size_t j = 0; j < n; j++) {
			const struct cl_sum *s = &c[order[j]];
			const char *name = ps->clusters[order[j]];
			fprintf(f, "<tr data-strategy=\"%s\" data-cluster=\"", k);
			esc(f, name);
			fprintf(f, "\"><td>%s</td>", plot_strategy_label(ps->strategy));
			td_text(f, name);
			td_count(f, NULL, s->hosts);
			td_count(f, NULL, s->compliant);
			td_count(f, NULL, s->failed);
			td_count(f, NULL, s->blocked);
			td_count(f, NULL, s->not_started);
			td_count(f, NULL, s->other);
			td_dur(f, NULL, s->first_start);
			td_dur(f, NULL, s->last_end);
			fputs("</tr>\n", f);
		}
		if (n < ps->nclusters) {
			char a[48], b[48];
			snprintf(notes[si], sizeof(notes[si]),
				 "%s: the %s clusters with the most hosts not compliant (then the "
				 "latest to finish) of %s.",
				 plot_strategy_label(ps->strategy), plot_fmt_count(a, sizeof(a), (double)n),
				 plot_fmt_count(b, sizeof(b), (double)ps->nclusters));
		}
		free(c);
		free(order);
	}
	fputs("</tbody></table>\n", f);
	for (size_t si = 0; si < run->nstrategies; si++)
		if (notes[si][0])
			fprintf(f, "<p class=\"note\" data-strategy=\"%s\">%s</p>\n",
				strat_key(run->st[si].strategy), notes[si]);
	return 0;
}

static void incompat_names(FILE *f, unsigned bits)
{
	bool first = true;
	for (unsigned b = 0; b < SCAN_NINCOMPAT; b++)
		if (bits & (1u << b)) {
			fprintf(f, "%s%s", first ? "" : ", ", scan_incompat_name(1u << b));
			first = false;
		}
}

static void vms_table(FILE *f, const struct plot_run *run)
{
	if (!(run->have & PLOT_FILE_VMS))
		return;
	fputs("<h2 id=\"vms-h\">FSR-incompatible VMs</h2>\n"
	      "<table id=\"vms\" class=\"sortable\"><thead><tr>"
	      "<th data-col=\"strategy\">Strategy</th><th data-col=\"cluster\">Cluster</th>"
	      "<th data-col=\"host\">Host</th><th data-col=\"vm\">VM</th>"
	      "<th data-col=\"reasons\">Why</th><th data-col=\"remediation\">Remediation</th>"
	      "<th data-col=\"downtime\">Downtime</th></tr></thead><tbody>\n",
	      f);
	size_t left[2] = {0, 0};
	for (size_t si = 0; si < run->nstrategies; si++) {
		const struct plot_strategy *ps = &run->st[si];
		const char *k = strat_key(ps->strategy);
		for (size_t i = 0; i < ps->nincompat; i++) {
			if (i >= REPORT_HTML_ROWS_MAX) {
				left[si] = ps->nincompat - i;
				break;
			}
			const struct plot_vm *v = &ps->incompat[i];
			const struct plot_host *h = v->host >= 0 && (size_t)v->host < ps->nhosts
							    ? &ps->hosts[v->host]
							    : NULL;
			fprintf(f, "<tr data-strategy=\"%s\" data-cluster=\"", k);
			esc(f, h ? h->cluster : "");
			fprintf(f, "\"><td>%s</td>", plot_strategy_label(ps->strategy));
			td_text(f, h ? h->cluster : "?");
			td_text(f, h ? h->name : "?");
			td_text(f, v->name);
			fputs("<td>", f);
			incompat_names(f, v->incompat);
			fputs("</td>", f);
			td_text(f, rec_remediation_name(v->remediation));
			td_dur(f, NULL, v->downtime_s);
			fputs("</tr>\n", f);
		}
	}
	fputs("</tbody></table>\n", f);
	for (size_t si = 0; si < run->nstrategies; si++)
		if (left[si]) {
			char a[48];
			fprintf(f,
				"<p class=\"note\" data-strategy=\"%s\">%s: %s more in vms.csv "
				"(column incompatible).</p>\n",
				strat_key(run->st[si].strategy), plot_strategy_label(run->st[si].strategy),
				plot_fmt_count(a, sizeof(a), (double)left[si]));
		}
}

/* ---- controls ---------------------------------------------------------------------- */

/* The clusters the filter offers: every one listed somewhere (all of them
 * up to REPORT_HTML_ROWS_MAX, else the worst of each strategy). */
static int controls(FILE *f, const struct plot_run *run, const struct output_summary *sum)
{
	fputs("<div id=\"controls\" hidden>Show: ", f);
	for (size_t i = 0; i < sum->nstrategies; i++) {
		enum scenario_strategy s = sum->strategies[i].strategy;
		fprintf(f,
			"<label><input type=\"checkbox\" class=\"strategy\" value=\"%s\" checked> %s"
			"</label>",
			strat_key(s), plot_strategy_label(s));
	}
	if (run && run->nstrategies && run->st[0].nclusters > 1) {
		const struct plot_strategy *ps = &run->st[0];
		size_t *order = malloc(ps->nclusters * sizeof(*order));
		if (!order)
			return -ENOMEM;
		size_t n = plot__rank_clusters(ps, order, REPORT_HTML_ROWS_MAX);
		fputs("<label>Cluster: <select id=\"cluster\"><option value=\"\">all</option>", f);
		for (size_t j = 0; j < n; j++) {
			fputs("<option>", f);
			esc(f, ps->clusters[order[j]]);
			fputs("</option>", f);
		}
		fputs("</select></label>", f);
		free(order);
	}
	fputs("</div>\n", f);
	return 0;
}

/* ---- a sweep ------------------------------------------------------------------------ */

static void sweep_body(FILE *f, const struct plot_sweep *sw)
{
	char a[48];
	fprintf(f, "<p class=\"sub\">Sweep of %s points over %zu parameter%s.</p>\n",
		plot_fmt_count(a, sizeof(a), (double)sw->npoints), sw->naxes, sw->naxes == 1 ? "" : "s");
	fputs("<table id=\"points\" class=\"sortable\"><thead><tr>", f);
	for (size_t x = 0; x < sw->naxes; x++) {
		char words[256];
		fprintf(f, "<th data-col=\"axis%zu\" title=\"", x);
		esc(f, sw->axes[x].path);
		fputs("\">", f);
		esc(f, plot_param_words(sw->axes[x].path, words, sizeof(words)));
		fputs("</th>", f);
	}
	fputs("<th data-col=\"strategy\">Strategy</th><th data-col=\"makespan\">Makespan</th>"
	      "<th data-col=\"makespan_p95\">Makespan p95</th>"
	      "<th data-col=\"compliance\">Time to compliance</th>"
	      "<th data-col=\"downtime\">VM downtime, all VMs</th>"
	      "<th data-col=\"failed\">Hosts failed</th></tr></thead><tbody>\n",
	      f);
	size_t shown = sw->npoints < REPORT_HTML_SWEEP_ROWS ? sw->npoints : REPORT_HTML_SWEEP_ROWS;
	for (size_t p = 0; p < shown; p++) {
		const struct plot_sweep_point *pt = &sw->points[p];
		for (size_t i = 0; i < pt->sum.nstrategies; i++) {
			const struct output_strategy *os = &pt->sum.strategies[i];
			fprintf(f, "<tr data-strategy=\"%s\">", strat_key(os->strategy));
			for (size_t x = 0; x < sw->naxes; x++) {
				const struct plot_sweep_axis *ax = &sw->axes[x];
				fputs("<td", f);
				if (ax->numeric)
					fprintf(f, " data-v=\"%.6g\"", ax->num[pt->idx[x]]);
				fputs(">", f);
				esc(f, ax->values[pt->idx[x]]);
				fputs("</td>", f);
			}
			fprintf(f, "<td>%s</td>", plot_strategy_label(os->strategy));
			td_stat(f, NULL, &os->makespan_s, true, NULL);
			td_p95(f, NULL, &os->makespan_s, true);
			td_stat(f, NULL, &os->time_to_compliance_s, true, NULL);
			td_stat(f, NULL, &os->downtime_total_s, true, NULL);
			td_stat(f, NULL, &os->hosts_failed, false, NULL);
			fputs("</tr>\n", f);
		}
	}
	fputs("</tbody></table>\n", f);
	if (shown < sw->npoints)
		fprintf(f, "<p class=\"note\">The first %s points of %s; sweep.csv holds them all.</p>\n",
			plot_fmt_count(a, sizeof(a), (double)shown),
			plot_fmt_count((char[48]){0}, 48, (double)sw->npoints));
}

/* ---- the document -------------------------------------------------------------------- */

static void head(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"lpsim " LPSIM_VERSION "\">\n<title>",
	      f);
	esc(f, title);
	fprintf(f, "</title>\n<style>\n%s", style);
	report_html__chart_css(f);
	fprintf(f, "</style>\n<script>\n%s</script>\n</head>\n<body>\n", collector);
}

static void caption(FILE *f, const struct plot_run *run)
{
	const struct output_summary *sum = &run->sum;
	char a[48], b[48], c[48];
	size_t ncl = sum->clusters ? sum->clusters : run->nstrategies ? run->st[0].nclusters : 0;
	fprintf(f, "<p class=\"sub\" id=\"caption\">Scenario file ");
	esc(f, sum->scenario_file);
	fputs("; ", f);
	if (ncl)
		fprintf(f, "%s cluster%s, ", plot_fmt_count(a, sizeof(a), (double)ncl),
			ncl == 1 ? "" : "s");
	fprintf(f, "%s host%s, %s VM%s; seed %llu; %ld replication%s.</p>\n",
		plot_fmt_count(b, sizeof(b), (double)sum->hosts), sum->hosts == 1 ? "" : "s",
		plot_fmt_count(c, sizeof(c), (double)sum->vms), sum->vms == 1 ? "" : "s",
		(unsigned long long)sum->seed, sum->replications, sum->replications == 1 ? "" : "s");
}

static void tail(FILE *f)
{
	fputs("<div id=\"tip\"></div>\n"
	      "<p class=\"note\">Written by lpsim " LPSIM_VERSION
	      ". The page needs no network; without JavaScript it shows the same tables and "
	      "charts (a lane's tooltip holds its detail).</p>\n"
	      "<output id=\"js-status\" data-state=\"no-script\" data-errors=\"0\" hidden></output>\n",
	      f);
	fprintf(f, "<script>\n%s</script>\n</body></html>\n", script);
}

static int run_body(FILE *f, const struct plot_run *run, const struct report_html_opts *o)
{
	const struct output_summary *sum = &run->sum;
	fputs("<h1>", f);
	esc(f, sum->scenario_name);
	fputs(": live patch report</h1>\n", f);
	caption(f, run);
	int rc = controls(f, run, sum);
	if (rc < 0)
		return rc;
	fputs("<h2 id=\"summary-h\">Summary</h2>\n", f);
	summary_table(f, sum);
	window_verdict(f, sum, o->window_s);
	rc = report_html__charts(f, run, o);
	if (rc < 0)
		return rc;
	rc = clusters_table(f, run);
	if (rc < 0)
		return rc;
	hosts_table(f, run);
	vms_table(f, run);
	return 0;
}

int report_html_write(FILE *f, const struct plot_run *run, const struct plot_sweep *sweep,
                      const struct report_html_opts *o)
{
	struct report_html_opts def;
	if (!o) {
		report_html_opts_default(&def);
		o = &def;
	}
	int rc = 0;
	if (run) {
		head(f, run->sum.scenario_name ? run->sum.scenario_name : "lpsim report");
		rc = run_body(f, run, o);
	} else {
		head(f, "lpsim sweep report");
		fputs("<h1>Sweep report</h1>\n", f);
		if (sweep->npoints && sweep->points[0].sum.nstrategies) {
			fputs("<div id=\"controls\" hidden>Show: ", f);
			for (size_t i = 0; i < sweep->points[0].sum.nstrategies; i++) {
				enum scenario_strategy s = sweep->points[0].sum.strategies[i].strategy;
				fprintf(f,
					"<label><input type=\"checkbox\" class=\"strategy\" value=\"%s\" "
					"checked> %s</label>",
					strat_key(s), plot_strategy_label(s));
			}
			fputs("</div>\n", f);
		} else {
			fputs("<div id=\"controls\" hidden></div>\n", f);
		}
		sweep_body(f, sweep);
	}
	if (rc < 0)
		return rc;
	tail(f);
	return ferror(f) ? -EIO : 0;
}

int report_html_save(const char *path, const struct plot_run *run, const struct plot_sweep *sweep,
                     const struct report_html_opts *o, char *msg, size_t msglen)
{
	struct afile *af = afile_open(path);
	if (!af) {
		int e = errno;
		plot__errf(msg, msglen, "%s: %s", path, strerror(e));
		return -e;
	}
	int rc = report_html_write(afile_stream(af), run, sweep, o);
	if (rc == -ENOMEM) {
		afile_abort(af);
		plot__errf(msg, msglen, "%s: %s", path, strerror(ENOMEM));
		return rc;
	}
	int src = afile_seal(af);
	if (src < 0 || rc < 0) {
		afile_abort(af);
		rc = src < 0 ? src : rc;
		plot__errf(msg, msglen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = afile_commit(af);
	if (rc < 0)
		plot__errf(msg, msglen, "%s: %s", path, strerror(-rc));
	return rc;
}
