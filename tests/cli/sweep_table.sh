#!/bin/sh
# sweep prints its table on stdout (issue 19): one row per point with the
# axis values and, per strategy, sweep.csv's headline means (makespan,
# total VM downtime, hosts patched of the total); --quiet prints nothing.
: "${LPSIM:=./lpsim}"
T=sweep_table.sh
. tests/cli/lib.inc

if status 0 "sweep" "$LPSIM" sweep scenarios/sweep.yaml -o "$tmp/sw" -r 2 -j 2 --no-plots; then
	cp "$tmp/out" "$tmp/table"
	# The table agrees with sweep.csv, row by row and figure by figure.
	if python3 - "$tmp/table" "$tmp/sw/sweep.csv" >"$tmp/py" 2>&1 <<'PY'; then ok; else say "table vs sweep.csv: $(cat "$tmp/py")"; fi
import csv, re, sys
lines = open(sys.argv[1]).read().splitlines()
rows = list(csv.DictReader(open(sys.argv[2])))
head = re.split(r"  +", lines[0].strip())
want = ["max_hosts", "vms[web-%03d].count",
        "live_patch makespan", "live_patch VM downtime", "live_patch patched",
        "classic makespan", "classic VM downtime", "classic patched"]
assert head == want, "header %r" % head
assert len(lines) == 1 + len(rows) == 13, "%d lines for %d points" % (len(lines), len(rows))
def dur(s):
    if s < 120: return "%.3g s" % s
    if s < 7200: return "%.1f m" % (s / 60)
    return "%.2f h" % (s / 3600)
for line, r in zip(lines[1:], rows):
    cells = re.split(r"  +", line.strip())
    exp = [r["vcenter.remediation.parallel.max_hosts"], r["clusters[0].vms[web-%03d].count"]]
    for s in ("live_patch", "classic"):
        exp += [dur(float(r[s + ".makespan_s.mean"])),
                dur(float(r[s + ".vm_downtime_s.total.mean"])),
                "%.4g of %s" % (float(r[s + ".hosts.patched.mean"]), r[s + ".hosts.total"])]
    assert cells == exp, "row %r, want %r" % (cells, exp)
PY
	grep -q "^lpsim: sweep: 12 points in .* s; results in $tmp/sw\$" "$tmp/err" && ok || { say "no results line on stderr"; show "$tmp/err"; }
fi
if status 0 "sweep --quiet" "$LPSIM" sweep scenarios/sweep.yaml -o "$tmp/q" -r 2 -j 2 --no-plots --quiet; then
	[ -s "$tmp/out" ] && { say "sweep --quiet printed on stdout"; show "$tmp/out"; } || ok
fi
echo "$T: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
