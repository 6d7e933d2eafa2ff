#!/bin/sh
# shellcheck disable=SC2015 # "A && ok || say": ok always succeeds
# sweep.sh: `lpsim sweep` and `lpsim plan` end to end on
# tests/data/sweep/small.yaml (4 hosts, 30 VMs, a sweep axis of 2 values).
# Run from the repository root with LPSIM set to the binary.
#   - sweep.json: axes (scenario's, then --param), points in cross-product
#     order with the last axis fastest, each with its summary.json object;
#     sweep.csv: a header and one row per point
#   - --param with the scenario axis's path replaces it
#   - -j 1 = -j 3 (but wall_s); common random numbers: a value that does
#     not touch the classic path leaves its results unchanged
#   - errors: unknown path (did-you-mean, 65), bad value naming the value
#     (65), unknown [NAME] (65), bad --param syntax or a value
#     listed twice (64); nothing written
#   - plan: the evidence table and an answer; "none fits" with status 0;
#     --window missing (64)
#   - SIGINT during a sweep: 128+2 within 10 s, an "interrupted" message,
#     nothing written
: "${LPSIM:=./lpsim}"
case $LPSIM in /*) ;; *) LPSIM=$(pwd)/$LPSIM ;; esac
S=tests/data/sweep/small.yaml
MH=vcenter.remediation.parallel.max_hosts
RC=vcenter.remediation.failure_action.retry_count
T=sweep.sh
# shellcheck source=tests/cli/lib.inc
. "$(dirname "$0")/lib.inc"

errhas() {
	if grep -qF -- "$2" "$tmp/err"; then ok; else say "$1: stderr lacks '$2'"; show "$tmp/err"; fi
}

# ---- the outputs -------------------------------------------------------------
status 0 "sweep" "$LPSIM" sweep "$S" -o "$tmp/a" -j 3 -r 3 --param "$MH=1,auto,2" --quiet
[ -f "$tmp/a/sweep.json" ] && [ -f "$tmp/a/sweep.csv" ] && ok || say "sweep.json or sweep.csv missing"
json "$tmp/a/sweep.json" "sweep.json" \
	"[a['path'] for a in d['axes']] == ['$RC', '$MH']" \
	"d['axes'][0]['values'] == [0, 2] and d['axes'][1]['values'] == [1, 'auto', 2]" \
	"len(d['points']) == 6" \
	"[p['params']['$MH'] for p in d['points']] == [1, 'auto', 2, 1, 'auto', 2]" \
	"[p['params']['$RC'] for p in d['points']] == [0, 0, 0, 2, 2, 2]" \
	"all(p['summary']['replications'] == 3 for p in d['points'])" \
	"all(set(p['summary']['strategies']) == {'live_patch', 'classic'} for p in d['points'])" \
	"all('wall_s' in p['summary'] and 'comparison' in p['summary'] for p in d['points'])"
[ "$(wc -l <"$tmp/a/sweep.csv")" -eq 7 ] && ok || say "sweep.csv: $(wc -l <"$tmp/a/sweep.csv") lines, want 7"
h=$(head -n 1 "$tmp/a/sweep.csv")
case $h in
"$RC,$MH,live_patch.makespan_s.mean,live_patch.makespan_s.ci95_lo,live_patch.makespan_s.ci95_hi,"*",live_patch.hosts.total,live_patch.hosts.patched.mean,live_patch.makespan_hosts.mean,live_patch.whole_estate_patched,live_patch.time_to_compliance_censored,live_patch.makespan_s.diff_from_first.mean,"*classic.vm_downtime_s.total.ci95_hi,classic.hosts.total,classic.hosts.patched.mean,classic.makespan_hosts.mean,classic.whole_estate_patched,classic.time_to_compliance_censored,classic.makespan_s.diff_from_first.mean,classic.makespan_s.diff_from_first.ci95_lo,classic.makespan_s.diff_from_first.ci95_hi,classic.vm_downtime_s.total.diff_from_first.mean,classic.vm_downtime_s.total.diff_from_first.ci95_lo,classic.vm_downtime_s.total.diff_from_first.ci95_hi) ok ;;
*) say "sweep.csv header: $h" ;;
esac
[ "$(sed -n 3p "$tmp/a/sweep.csv" | cut -d, -f1-2)" = "0,auto" ] && ok || say "sweep.csv row 2: $(sed -n 3p "$tmp/a/sweep.csv" | cut -c1-40)"
# Paired differences from the first point: 0 with a zero-width interval there.
python3 - "$tmp/a/sweep.csv" <<'PY' && ok || say "sweep.csv: the first point's paired differences are not 0"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
cols = [c for c in rows[0] if ".diff_from_first." in c]
assert len(cols) == 12, cols
assert all(float(rows[0][c]) == 0 for c in cols)
assert all(rows[k][c] != "" for k in range(len(rows)) for c in cols)
PY
set -- "$tmp"/a/*.tmp.*
[ -e "$1" ] && say "temporaries left in $tmp/a" || ok

# ---- determinism, replacement, common random numbers --------------------------
status 0 "sweep -j 1" "$LPSIM" sweep "$S" -o "$tmp/b" -j 1 -r 3 --param "$MH=1,auto,2" --quiet
cmp -s "$tmp/a/sweep.csv" "$tmp/b/sweep.csv" && ok || say "-j 1 and -j 3 give different sweep.csv"
grep -v wall_s "$tmp/a/sweep.json" >"$tmp/a.j"
grep -v wall_s "$tmp/b/sweep.json" >"$tmp/b.j"
cmp -s "$tmp/a.j" "$tmp/b.j" && ok || say "-j 1 and -j 3 give different sweep.json"
status 0 "sweep --param replacing" "$LPSIM" sweep "$S" -o "$tmp/c" -r 2 --param "$RC=1,3,5" --quiet
json "$tmp/c/sweep.json" "replaced axis" "len(d['axes']) == 1" "d['axes'][0]['values'] == [1, 3, 5]"
status 0 "sweep crn" "$LPSIM" sweep "$S" -o "$tmp/d" -r 3 --strategy classic --param hardware.fsr.concurrency=1,8 --quiet
json "$tmp/d/sweep.json" "a value the classic path ignores changes nothing" \
	"d['points'][0]['summary']['strategies'] == d['points'][1]['summary']['strategies']" \
	"d['points'][2]['summary']['strategies'] == d['points'][3]['summary']['strategies']"

# ---- errors ------------------------------------------------------------------
status 65 "unknown path" "$LPSIM" sweep "$S" -o "$tmp/e" --param vcenter.remediation.parallel.max_host=1,2
errhas "unknown path" "did you mean 'max_hosts'"
status 65 "bad value" "$LPSIM" sweep "$S" -o "$tmp/e" --param "$MH=1,500"
errhas "bad value" "--param value '500' for '$MH'"
status 65 "unknown name" "$LPSIM" sweep "$S" -o "$tmp/e" --param "clusters[0].vms[webb-%02d].count=1"
errhas "unknown name" "(the closest path: 'clusters[0].vms[web-%02d].count')"
status 64 "bad --param" "$LPSIM" sweep "$S" -o "$tmp/e" --param "novalue"
# A value listed twice on the command line: refused like a scenario's sweep value (issue 22).
status 64 "duplicate --param value" "$LPSIM" sweep "$S" -o "$tmp/e" --param "$MH=1,auto,1"
errhas "duplicate --param value" "lpsim: sweep: --param $MH: value '1' is listed twice"
status 64 "duplicate --param value (plan)" "$LPSIM" plan "$S" --window 4h --param "seed=3,4,4,3"
errhas "duplicate --param value (plan)" "lpsim: plan: --param seed: value '4' is listed twice (and other values too)"
# One path in two --param (the second replaced the first, unsaid), and more
# --param than sweep axes (their matching was quadratic in their number).
status 64 "--param path twice" "$LPSIM" sweep "$S" -o "$tmp/e" --param seed=1,2 --param "$MH=1,2" --param seed=3,4
errhas "--param path twice" "lpsim: sweep: --param seed is given twice: list its values in one --param"
# shellcheck disable=SC2046 # one word per argument
status 64 "17 --param" "$LPSIM" sweep "$S" -o "$tmp/e" $(i=0; while [ $i -lt 17 ]; do printf -- '--param x%d=1 ' $i; i=$((i + 1)); done)
errhas "17 --param" "lpsim: sweep: --param is given 17 times, more than the limit of 16 sweep axes"
status 64 "an empty --param value" "$LPSIM" sweep "$S" -o "$tmp/e" --param "seed=1,,2"
errhas "an empty --param value" "lpsim: sweep: --param seed: value 2 is empty"
status 64 "a trailing comma" "$LPSIM" sweep "$S" -o "$tmp/e" --param "seed=1,2,"
errhas "a trailing comma" "lpsim: sweep: --param seed: value 3 is empty"
status 64 "a --param without a path" "$LPSIM" sweep "$S" -o "$tmp/e" --param "=1,2"
errhas "a --param without a path" "lpsim: sweep: --param wants PATH=V1,V2,... (got '=1,2')"
status 64 "bad --shard" "$LPSIM" sweep "$S" -o "$tmp/e" --shard 3/2
status 66 "missing scenario" "$LPSIM" sweep "$tmp/nope.yaml" -o "$tmp/e"
[ -e "$tmp/e" ] && say "a failed sweep wrote $tmp/e" || ok

# ---- plan --------------------------------------------------------------------
# Without faults every host gets patched: both values fit, the smaller is the answer.
NF=tests/data/answers/nofaults.yaml
status 0 "plan" "$LPSIM" plan "$NF" --window 4h --param "$MH=2,1" --strategy live_patch -j 2 -r 60 --quiet
grep -q "^answer: $MH = 1\$" "$tmp/out" && ok || { say "plan: no answer '$MH = 1'"; show "$tmp/out"; }
grep -q "60 replications" "$tmp/out" && ok || say "plan: bound not explained"
[ "$(grep -c ' yes  ' "$tmp/out")" -eq 2 ] && ok || { say "plan: want 2 values that fit"; show "$tmp/out"; }
# Paired differences from the first value: max_hosts does not matter without
# parallel remediation, and the same replication draws the same at both
# values (common random numbers), so every difference is exactly 0.
grep -q "(baseline)\$" "$tmp/out" && ok || { say "plan: no baseline"; show "$tmp/out"; }
grep -q "  0.0 s \[0.0 s, 0.0 s\] (60)\$" "$tmp/out" && ok || { say "plan: paired difference not 0 over 60 replications"; show "$tmp/out"; }
status 0 "plan none fits" "$LPSIM" plan "$NF" --window 1s --strategy classic -r 59 --quiet
grep -q "^answer: none fits; the closest is $RC = " "$tmp/out" && ok || { say "plan: no honest 'none fits'"; show "$tmp/out"; }
# With faults (small.yaml), hosts fail in some replications and sequential
# remediation stops there (not_started): no window is wide enough, and plan
# says why (issue 17: it used to answer from the makespan of the hosts that
# were remediated).
status 0 "plan failed hosts" "$LPSIM" plan "$S" --window 30d --param "$MH=2,1" --strategy live_patch -r 60 --quiet
grep -q "^answer: none fits: hosts failed in [1-9][0-9]* of 60 replications; hosts not started in [1-9][0-9]* of 60 replications\$" "$tmp/out" && ok || { say "plan: failed hosts not the reason"; show "$tmp/out"; }
status 64 "plan without window" "$LPSIM" plan "$S"
status 64 "plan bad confidence" "$LPSIM" plan "$S" --window 1h --confidence 1.5
# The limits of run and sweep, refused before anything runs.
status 64 "plan past the replication limit" "$LPSIM" plan "$S" --window 1h --confidence 0.999999
grep -qxF "lpsim: plan: --confidence 0.999999 needs at least 2995731 replications for a 95% bound on the p99.9999, more than the limit of 1000000 replications" "$tmp/err" && ok || { say "plan: no limit message"; show "$tmp/err"; }
status 64 "plan past memory" "$LPSIM" plan scenarios/fleet-100k.yaml --window 4h -r 1000000 --param seed=1,2
grep -q "^lpsim: scenarios/fleet-100k.yaml: 2 values of 1000000 replications of 2000000 VMs need about [0-9.]* GB for the per-VM results and makespans, more than this machine's memory allows" "$tmp/err" && ok || { say "plan: no memory message"; show "$tmp/err"; }

# ---- help ----------------------------------------------------------------------
for c in sweep plan merge; do
	status 0 "$c --help" "$LPSIM" "$c" --help
	grep -q "^usage: lpsim $c " "$tmp/out" && ok || say "$c --help: no usage line"
done

# ---- SIGINT --------------------------------------------------------------------
# A long sweep, SIGINT after 1 s: exits 130 within 10 s (interrupt, lib.inc).
interrupt INT 130 "SIGINT" 1 "$LPSIM" sweep "$S" -o "$tmp/int" -r 200000 -j 2 --quiet
[ -e "$tmp/int/sweep.json" ] && say "SIGINT: sweep.json written" || ok

echo "sweep.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
