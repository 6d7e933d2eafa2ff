#!/bin/sh
# shellcheck disable=SC2015 # "A && ok || say": ok always succeeds
# html.sh: `lpsim report DIR -o FILE.html` loaded in a real browser
# (Debian's chromium, headless), end to end. Run from the repository root
# with LPSIM set to the binary.
#   - the file is self-contained: no URL, no external script, style or font
#   - with JavaScript: no script error (an in-page collector writes them
#     into #js-status; chromium's log is searched for "Uncaught" too), the
#     hosts and the numbers of summary.json are in the DOM; the URL's
#     fragment filters a cluster, hides a strategy, sorts a table and shows
#     a host's states, times and VMs (what hovering shows)
#   - without JavaScript: the same tables and charts, the controls hidden
#   - the error detector itself catches a script that throws
#   - a sweep directory; a format that cannot be written (exit 64)
#   - 100,000 hosts: the report aggregates (cluster lanes, bounded tables),
#     its size stays bounded, and it loads in the browser without error
# The browser is kept off the network: every host name resolves to
# nothing, every request goes to a closed port on 127.0.0.1, and the
# page's Content-Security-Policy forbids fetches anyway. Skips (exit 0,
# with a message) only when chromium is not installed and cannot be.
: "${LPSIM:=./lpsim}"
case $LPSIM in /*) ;; *) LPSIM=$(pwd)/$LPSIM ;; esac
T=html.sh
# shellcheck source=tests/cli/lib.inc
. "$(dirname "$0")/lib.inc"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ] && [ "$(id -u)" -eq 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
		--no-install-recommends chromium >/dev/null 2>&1
	CHROMIUM=$(command -v chromium || true)
fi
if [ -z "$CHROMIUM" ]; then
	echo "$T: SKIP: chromium is not installed and cannot be (apt-get install chromium)"
	exit 0
fi

# browse OUT URL [FLAGS...]: the DOM after load into OUT, chromium's log into OUT.log.
browse() {
	out=$1; url=$2; shift 2
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$tmp/profile" --disable-background-networking \
		--disable-component-update --disable-sync --disable-default-apps --disable-extensions \
		--no-pings --disable-breakpad --host-resolver-rules='MAP * ~NOTFOUND' \
		--proxy-server=127.0.0.1:9 --enable-logging=stderr --v=0 \
		"$@" --dump-dom "$url" >"$out" 2>"$out.log"
}

# no_console_error LOG WHAT: chromium logged no uncaught exception or console error.
no_console_error() {
	if grep -E 'Uncaught|CONSOLE\(|console error' "$1" >"$tmp/cerr"; then
		say "$2: console errors: $(head -c 400 "$tmp/cerr")"
	else
		ok
	fi
}

# dom FILE WHAT PYTHON-EXPR...: every expression holds on the DOM in FILE.
# Helpers: q(tag=None, cls=None, **attrs) the elements matching (attrs
# with _ for -: data_strategy="classic"), text(e), shown(e) (neither e nor
# an ancestor hidden), byid(id), summary (summary.json of $SUMMARY, if set).
dom() {
	f=$1; what=$2; shift 2
	if python3 - "$f" "${SUMMARY:-}" "$@" >"$tmp/py" 2>&1 <<'PY'; then ok; else say "$what: $(head -c 600 "$tmp/py")"; fi
import json, sys
from html.parser import HTMLParser
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
class E:
    def __init__(s, tag, attrs, parent):
        s.tag, s.attrs, s.parent, s.kids, s.chunks = tag, dict(attrs), parent, [], []
class P(HTMLParser):
    def __init__(s):
        super().__init__(convert_charrefs=True)
        s.root = E("#root", {}, None); s.cur = s.root; s.all = []
    def handle_starttag(s, tag, attrs):
        e = E(tag, attrs, s.cur); s.cur.kids.append(e); s.cur.chunks.append(e); s.all.append(e)
        if tag not in VOID:
            s.cur = e
    def handle_startendtag(s, tag, attrs):
        e = E(tag, attrs, s.cur); s.cur.kids.append(e); s.cur.chunks.append(e); s.all.append(e)
    def handle_endtag(s, tag):
        c = s.cur
        while c is not s.root and c.tag != tag:
            c = c.parent
        if c is not s.root:
            s.cur = c.parent
    def handle_data(s, d):
        s.cur.chunks.append(d)
p = P()
with open(sys.argv[1], encoding="utf-8") as fh:
    p.feed(fh.read())
def text(e):
    return "".join(c if isinstance(c, str) else text(c) for c in e.chunks)
def shown(e):
    while e is not None:
        if "hidden" in e.attrs:
            return False
        e = e.parent
    return True
def q(tag=None, cls=None, **attrs):
    r = []
    for e in p.all:
        if tag and e.tag != tag:
            continue
        if cls and cls not in e.attrs.get("class", "").split():
            continue
        if all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()):
            r.append(e)
    return r
def byid(i):
    r = [e for e in p.all if e.attrs.get("id") == i]
    return r[0] if r else None
summary = None
if sys.argv[2]:
    with open(sys.argv[2], encoding="utf-8") as fh:
        summary = json.load(fh)
env = {"q": q, "text": text, "shown": shown, "byid": byid, "summary": summary, "p": p,
       "json": json}
for expr in sys.argv[3:]:
    try:
        good = eval(expr, env)
    except Exception as ex:
        good = False
        expr += " (" + type(ex).__name__ + ": " + str(ex) + ")"
    if not good:
        print("does not hold:", expr)
        sys.exit(1)
PY
}

# self_contained FILE: nothing in FILE would fetch anything.
self_contained() {
	if grep -Eio 'https?:|ftp:|<link|<iframe|<img|<object|<embed|@import|url\(|src=|href="[^#]' "$1" |
		sort -u >"$tmp/ext" && [ -s "$tmp/ext" ]; then
		say "$1 is not self-contained: $(tr '\n' ' ' <"$tmp/ext")"
	else
		ok
	fi
	grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$1" && ok ||
		say "$1: no Content-Security-Policy forbidding fetches"
}

# ---- a small run: both strategies, 4 hosts, one cluster ---------------------------------
status 0 "run small" "$LPSIM" run tests/data/run/small.yaml -r 4 -q --no-plots -o "$tmp/small"
status 0 "report small.html" "$LPSIM" report "$tmp/small" -o "$tmp/small.html"
[ -s "$tmp/out" ] && say "report -o small.html printed on stdout: $(head -c 200 "$tmp/out")" || ok
self_contained "$tmp/small.html"
SUMMARY=$tmp/small/summary.json
U=file://$tmp/small.html
browse "$tmp/d1" "$U"
no_console_error "$tmp/d1.log" "small, with JavaScript"
dom "$tmp/d1" "small, with JavaScript" \
	'byid("js-status").attrs.get("data-state") == "ready"' \
	'byid("js-status").attrs.get("data-errors") == "0"' \
	'shown(byid("controls"))' \
	'len(q("input", "strategy")) == 2' \
	'sorted(e.attrs["data-host"] for e in q("g", "lane", data_strategy=None) if e.parent.attrs.get("data-strategy") == "live_patch") == ["cl-small/esx-0%d" % i for i in range(1, 5)]' \
	'len(q("g", "lane")) == 8' \
	'all("states:" in g.attrs.get("data-tip", "") and "VMs:" in g.attrs["data-tip"] for g in q("g", "lane"))' \
	'len(q("tr", data_strategy="live_patch", data_cluster="cl-small")) >= 4' \
	'any(td.attrs.get("data-v") == "%.6g" % summary["strategies"]["live_patch"]["makespan_s"]["mean"] for td in q("td", data_strategy="live_patch"))' \
	'any(td.attrs.get("data-v") == "%.6g" % summary["strategies"]["classic"]["vm_downtime_s"]["total"]["mean"] for td in q("td", data_strategy="classic"))' \
	'"4 hosts, 30 VMs; seed 11; 4 replications" in text(byid("caption"))' \
	'"ft-01" in text(byid("vms")) and "sql-01" in text(byid("vms"))' \
	'len(q("svg", "timeline")) == 2 and len(q("svg", "compliance")) == 1' \
	'all(shown(e) for e in q(data_strategy="classic") if e.tag != "input")'
# what the timeline's lane of a host says (the hover text): its states and VMs
dom "$tmp/d1" "small, a lane's detail" \
	'[g for g in q("g", "lane") if g.attrs.get("data-host") == "cl-small/esx-01"][0].attrs["data-tip"].startswith("esx-01 (cluster cl-small), live patch")' \
	'"patching" in [g for g in q("g", "lane")][0].attrs["data-tip"]' \
	'"fast-suspend-resumed" in [g for g in q("g", "lane")][0].attrs["data-tip"]'

# the fragment: hide classic, show a host's detail, sort the hosts by end, latest first
browse "$tmp/d2" "$U#hide=classic&host=cl-small/esx-03&sort=hosts:end:desc"
no_console_error "$tmp/d2.log" "small, with a fragment"
dom "$tmp/d2" "small, #hide=classic&host=...&sort=hosts:end:desc" \
	'byid("js-status").attrs.get("data-errors") == "0"' \
	'not any(shown(e) for e in q(data_strategy="classic") if e.tag != "input")' \
	'any(shown(e) for e in q("tr", data_strategy="live_patch"))' \
	'byid("detail").attrs.get("data-host") == "cl-small/esx-03"' \
	'text(byid("detail")).startswith("esx-03 (cluster cl-small)")' \
	'"states:" in text(byid("detail")) and "VMs:" in text(byid("detail"))' \
	'[th for th in q("th") if th.attrs.get("data-col") == "end" and th.parent.parent.parent is byid("hosts")][0].attrs.get("aria-sort") == "descending"' \
	'(lambda v: v == sorted(v, reverse=True))([float(r.kids[5].attrs["data-v"]) for r in q("tr") if r.parent.parent is byid("hosts") and r.parent.tag == "tbody"])'

# without JavaScript (headless chromium cannot dump a page with scripting
# off, so the page's own policy forbids its scripts instead): everything
# readable, the controls hidden
sed "s|script-src 'unsafe-inline'|script-src 'none'|" "$tmp/small.html" >"$tmp/nojs.html"
browse "$tmp/d3" "file://$tmp/nojs.html"
dom "$tmp/d3" "small, without JavaScript" \
	'byid("js-status").attrs.get("data-state") == "no-script"' \
	'not shown(byid("controls"))' \
	'len(q("g", "lane")) == 8 and len(q("title")) >= 8' \
	'"esx-04" in text(byid("hosts"))' \
	'"Makespan" in text(byid("summary"))'

# the detector catches a script that throws
sed 's|^apply();$|apply();throw new Error("probe-error");|' "$tmp/small.html" >"$tmp/bad.html"
grep -q 'probe-error' "$tmp/bad.html" && ok || say "could not plant the probe error"
browse "$tmp/d4" "file://$tmp/bad.html"
dom "$tmp/d4" "the in-page collector catches an error" \
	'byid("js-status").attrs.get("data-errors") == "1"' '"probe-error" in text(byid("js-status"))'
grep -q 'Uncaught' "$tmp/d4.log" && ok || say "chromium's log does not show the planted error"

# ---- several clusters: the filter ------------------------------------------------------------
status 0 "run multi-cluster" "$LPSIM" run scenarios/multi-cluster.yaml -r 1 -q --no-plots -o "$tmp/multi"
status 0 "report multi.html" "$LPSIM" report "$tmp/multi" -o "$tmp/multi.HTML"
SUMMARY=
first=$(awk -F, 'NR == 2 {print $3}' "$tmp/multi/hosts.csv")
browse "$tmp/d5" "file://$tmp/multi.HTML#cluster=$first"
no_console_error "$tmp/d5.log" "multi-cluster, filtered"
dom "$tmp/d5" "multi-cluster, #cluster=$first" \
	'byid("js-status").attrs.get("data-errors") == "0"' \
	"len(set(e.attrs['data-cluster'] for e in q('g', 'lane'))) > 1" \
	"all(shown(e) == (e.attrs['data-cluster'] == '$first') for e in q('g', 'lane'))" \
	"all(shown(e) == (e.attrs['data-cluster'] == '$first') for e in q('tr') if 'data-cluster' in e.attrs)" \
	"[o for o in q('option') if text(o) == '$first'] != []"

# ---- a sweep, and what cannot be written -----------------------------------------------------
status 0 "report sweep.html" "$LPSIM" report tests/data/plots/sweep -o "$tmp/sweep.html"
browse "$tmp/d6" "file://$tmp/sweep.html"
no_console_error "$tmp/d6.log" "sweep"
dom "$tmp/d6" "sweep" 'byid("js-status").attrs.get("data-errors") == "0"' \
	'len([r for r in q("tr") if r.parent.tag == "tbody" and r.parent.parent is byid("points")]) > 1'
status 64 "report -o r.png" "$LPSIM" report "$tmp/small" -o "$tmp/r.png"
grep -q "cannot write '$tmp/r.png'" "$tmp/err" && ok || say "report -o r.png: message: $(cat "$tmp/err")"
[ -e "$tmp/r.png" ] && say "report -o r.png wrote a file" || ok
status 73 "report -o missing/dir/r.html" "$LPSIM" report "$tmp/small" -o "$tmp/no/such/r.html"
status 66 "report of a missing directory" "$LPSIM" report "$tmp/none" -o "$tmp/x.html"

# ---- 100,000 hosts: aggregated, bounded, loads -----------------------------------------------
# The sanitizer build checks the simulation's invariants after every event:
# minutes for 100,000 hosts. The run is not what is tested here, so it is
# made by the plain build when there is one; the report, by $LPSIM.
SIM=$LPSIM
case $LPSIM in */san/*) [ -x ./lpsim ] && SIM=$(pwd)/lpsim ;; esac
status 0 "run fleet (100,000 hosts)" "$SIM" run tests/data/html/fleet.yaml -q --no-plots -o "$tmp/fleet"
status 0 "report fleet.html" "$LPSIM" report "$tmp/fleet" -o "$tmp/fleet.html"
size=$(wc -c <"$tmp/fleet.html")
[ "$size" -lt 3000000 ] && ok || say "fleet.html is $size bytes, want < 3 MB"
self_contained "$tmp/fleet.html"
SUMMARY=$tmp/fleet/summary.json
browse "$tmp/d7" "file://$tmp/fleet.html"
no_console_error "$tmp/d7.log" "fleet"
dom "$tmp/d7" "fleet: aggregated" \
	'byid("js-status").attrs.get("data-state") == "ready"' \
	'byid("js-status").attrs.get("data-errors") == "0"' \
	'summary["strategies"]["live_patch"]["hosts"]["total"] == 100000' \
	'0 < len(q("g", "lane")) <= 2 * 30' \
	'all(g.attrs["data-host"].startswith("cl-") and "/" not in g.attrs["data-host"] for g in q("g", "lane"))' \
	'len(q("svg", "dist")) == 2' \
	'"100,000 hosts in 1,250 clusters" in text(p.root)' \
	'len([r for r in q("tr") if r.parent.tag == "tbody" and r.parent.parent is byid("hosts")]) <= 2 * 501' \
	'len([r for r in q("tr") if r.parent.tag == "tbody" and r.parent.parent is byid("clusters")]) <= 2 * 500' \
	'sum(text(r.kids[3]) == "compliant" for r in q("tr") if r.parent.tag == "tbody" and r.parent.parent is byid("hosts")) <= 2' \
	'any(text(td).strip() == "failed" for td in q("td"))' \
	'any(td.attrs.get("data-v") == "%.6g" % summary["strategies"]["classic"]["hosts"]["failed"]["mean"] for td in q("td", data_strategy="classic"))'

# a timeline of 100,000 host lanes is taller than a PNG can be: refused, saying what to do
status 65 "plot a 100,000-lane timeline as PNG" "$LPSIM" plot "$tmp/fleet" --chart timeline \
	--lanes hosts --strategy live_patch -o "$tmp/huge.png" &&
	{ grep -q "more than a PNG can hold (32767): draw it as .svg or .pdf" "$tmp/err" && ok ||
		say "huge timeline: message: $(cat "$tmp/err")"; }
[ -e "$tmp/huge.png" ] && say "a refused timeline left a file" || ok

echo "$T: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
