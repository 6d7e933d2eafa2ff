#!/bin/sh
# shellcheck disable=SC2015 # "A && ok || say": ok always succeeds
# run.sh: `lpsim run` end to end on tests/data/run/small.yaml (4 hosts, 30
# VMs with an FT VM, a shared-disk VM and a powered-off VM; both strategies,
# 4 replications). Run from the repository root with LPSIM set to the binary
# (the ASan build too: every run here is small).
#   - the results directory: the seven files, the CSV headers of RESULTS.md,
#     summary.json parses and holds both strategies and the comparison,
#     summary.txt is what stdout showed, no temporaries left
#   - determinism: -j 1 = -j 3, same seed twice = same results, another
#     seed gives other results
#   - --all-replications, -r, --strategy, --quiet, the default directory
#   - exit statuses: 66 missing, 65 bad scenario (file:line:col, no
#     directory), 64 bad usage, 73 output not creatable
#   - SIGINT / SIGTERM during a long run: 128+signo within seconds, nothing
#     written, an earlier results directory left as it was
# Prints one line per failure and a summary line; exits 1 on any failure.
: "${LPSIM:=./lpsim}"
case $LPSIM in /*) ;; *) LPSIM=$(pwd)/$LPSIM ;; esac
D=tests/data/run
S=$D/small.yaml
T=run.sh
# shellcheck source=tests/cli/lib.inc
. "$(dirname "$0")/lib.inc"

# header FILE LINE: the first line of FILE is LINE.
header() {
	if [ "$(head -n 1 "$1")" = "$2" ]; then ok; else say "$1: header '$(head -n 1 "$1")', want '$2'"; fi
}

# reps FILE WANT: the distinct values of the replication column (2) of FILE.
reps() {
	got=$(tail -n +2 "$1" | cut -d, -f2 | sort -un | tr '\n' ' ')
	if [ "$got" = "$2" ]; then ok; else say "$1: replications '$got', want '$2'"; fi
}

# strats FILE WANT: the distinct values of the strategy column (1) of FILE.
strats() {
	got=$(tail -n +2 "$1" | cut -d, -f1 | sort -u | tr '\n' ' ')
	if [ "$got" = "$2" ]; then ok; else say "$1: strategies '$got', want '$2'"; fi
}

# no_temps DIR: nothing in DIR looks like a temporary.
no_temps() {
	left=$(find "$1" -name '*.tmp*' -o -name '.*' ! -name . | head -n 5)
	if [ -z "$left" ]; then ok; else say "temporaries left in $1: $left"; fi
}

# same A B WHAT: the results directories A and B are identical but for wall_s.
same() {
	for f in summary.json summary.txt hosts.csv vms.csv timeline.csv compliance.csv replications.csv; do
		grep -v '"wall_s"' "$1/$f" >"$tmp/a"
		grep -v '"wall_s"' "$2/$f" >"$tmp/b"
		if cmp -s "$tmp/a" "$tmp/b"; then ok; else
			say "$3: $f differs"
			diff "$tmp/a" "$tmp/b" | head -n 6
		fi
	done
}

FILES="summary.json summary.txt hosts.csv vms.csv timeline.csv compliance.csv replications.csv"
STAT='["n","mean","sd","ci95_lo","ci95_hi","p50","p95","p99","min","max"]'

# ---- one run, both strategies ------------------------------------------------
o=$tmp/both
if status 0 "run small" "$LPSIM" run "$S" -o "$o" -j 2 --no-plots; then
	[ -s "$tmp/err" ] && { say "run small: stderr not empty (not a terminal: no progress bar)"; show "$tmp/err"; }
	for f in $FILES; do
		if [ -f "$o/$f" ]; then ok; else say "run small: no $f"; fi
	done
	header "$o/hosts.csv" "strategy,replication,cluster,host,path,start_s,end_s,compliant_at_s,outcome,attempts,reason,reason_of"
	header "$o/vms.csv" "strategy,replication,cluster,vm,host_before,host_after,downtime_s,stun_s,remediation,incompatible,sdps_s,secondary_host_before,secondary_host_after"
	header "$o/timeline.csv" "strategy,replication,cluster,host,state,start_s,end_s"
	header "$o/compliance.csv" "strategy,replication,t_s,compliant_hosts,total_hosts"
	# stdout: the table (summary.txt), then one line saying where the results are.
	sed '$d' "$tmp/out" >"$tmp/table"
	if cmp -s "$tmp/table" "$o/summary.txt"; then ok; else
		say "run small: summary.txt differs from stdout"
		diff "$tmp/table" "$o/summary.txt" | head -n 6
	fi
	want="results in $o/ (summary.json, compliance.csv, hosts.csv, replications.csv, summary.txt, timeline.csv, vms.csv)"
	if [ "$(tail -n 1 "$tmp/out")" = "$want" ]; then ok; else
		say "run small: last line of stdout is not '$want'"; tail -n 1 "$tmp/out"
	fi
	[ -s "$tmp/out" ] || say "run small: nothing on stdout"
	no_temps "$o"
	json "$o/summary.json" "summary.json" \
		'd["scenario"]["name"] == "small"' \
		'd["scenario"]["file"] == "tests/data/run/small.yaml"' \
		'd["seed"] == 11 and d["replications"] == 4' \
		'set(d["strategies"]) == {"live_patch", "classic"}' \
		'set(d["comparison"]) == {"vm_downtime_total_diff_s", "makespan_diff_s"}' \
		'isinstance(d["wall_s"], (int, float)) and d["wall_s"] >= 0' \
		"all(sorted(d['strategies'][s]['makespan_s']) == sorted($STAT) for s in d['strategies'])" \
		"all(sorted(d['comparison'][k]) == sorted($STAT) for k in d['comparison'])" \
		'all(d["strategies"][s][k]["n"] == 4 for s in d["strategies"] for k in ("makespan_s", "exposure_host_hours", "events"))' \
		'all(d["strategies"][s]["hosts"]["total"] == 4 and d["strategies"][s]["vms"]["total"] == 30 for s in d["strategies"])' \
		'all(d["strategies"][s]["vms"]["incompatible"] == {"ft": 1, "directpath": 0, "vsphere_pod": 0, "shared_disk": 1} for s in d["strategies"])' \
		'd["strategies"]["live_patch"]["vm_downtime_s"]["per_vm"]["n"] == 120' \
		'd["strategies"]["live_patch"]["hosts"]["live"]["mean"] == 4 and d["strategies"]["classic"]["hosts"]["classic"]["mean"] == 4' \
		'd["strategies"]["live_patch"]["makespan_s"]["mean"] < d["strategies"]["classic"]["makespan_s"]["mean"]' \
		'abs(d["comparison"]["makespan_diff_s"]["mean"] - (d["strategies"]["live_patch"]["makespan_s"]["mean"] - d["strategies"]["classic"]["makespan_s"]["mean"])) < 1e-6'
	# Manual remediation (policy auto) vMotions the FT VM and power-cycles the
	# shared-disk VM: every host ends compliant, on both paths.
	json "$o/summary.json" "manual remediation auto leaves every host compliant" \
		'all(d["strategies"][s]["hosts"]["compliant_at_end"]["min"] == 4 for s in d["strategies"])' \
		'all(d["strategies"][s]["time_to_compliance_s"]["n"] == 4 for s in d["strategies"])' \
		'all(d["strategies"][s]["cluster_compliant_fraction"] == 1 for s in d["strategies"])'
	reps "$o/hosts.csv" "0 "
	strats "$o/hosts.csv" "classic live_patch "
	strats "$o/compliance.csv" "classic live_patch "
	n=$(grep -c '^live_patch,0,' "$o/hosts.csv")
	[ "$n" -eq 4 ] && ok || say "hosts.csv: $n live_patch rows for replication 0, want 4"
	n=$(grep -c '^classic,0,' "$o/vms.csv")
	[ "$n" -eq 30 ] && ok || say "vms.csv: $n classic rows for replication 0, want 30"
	bad=$(tail -n +2 "$o/hosts.csv" | awk -F, 'NF != 12 || $5 !~ /^(live|classic|none)$/ || $9 !~ /^(compliant|non_compliant|failed|blocked|not_started)$/' | head -n 3)
	[ -z "$bad" ] && ok || say "hosts.csv: bad rows: $bad"
	bad=$(tail -n +2 "$o/vms.csv" | awk -F, 'NF != 13 || $11 !~ /^[0-9.]+$/ || $9 !~ /^(fsr|vmotion|power_cycle|power_off|suspend|none)$/' | head -n 3)
	[ -z "$bad" ] && ok || say "vms.csv: bad rows: $bad"
	grep -q '^live_patch,0,cl-small,ft-01,[^,]*,[^,]*,[^,]*,[^,]*,vmotion,ft,[^,]*,esx-[0-9]*,esx-[0-9]*$' "$o/vms.csv" && ok ||
		say "vms.csv: ft-01 (live_patch) is not vMotioned with reason ft, or its secondary's hosts are missing"
	# The FT pair runs across two hosts: the secondary's host is not the primary's.
	awk -F, '$4 == "ft-01" && ($5 == $12 || $6 == $13)' "$o/vms.csv" | grep -q . && say "vms.csv: ft-01's secondary on its primary's host" || ok
	grep -q '^live_patch,0,cl-small,sql-01,[^,]*,[^,]*,[^,]*,[^,]*,power_cycle,shared_disk,0\.0*,,$' "$o/vms.csv" && ok ||
		say "vms.csv: sql-01 (live_patch) is not power-cycled with reason shared_disk"
	grep -q '^live_patch,0,cl-small,idle-01,[^,]*,[^,]*,0\.0*,0\.0*,none,,0\.0*,,$' "$o/vms.csv" && ok ||
		say "vms.csv: the powered-off idle-01 (live_patch) has downtime or a remediation"
	bad=$(tail -n +2 "$o/compliance.csv" | awk -F, 'NF != 5 || $5 != 4 || $4 > 4' | head -n 3)
	[ -z "$bad" ] && ok || say "compliance.csv: bad rows: $bad"
fi

# ---- determinism ---------------------------------------------------------------
status 0 "run -j 1" "$LPSIM" run "$S" -o "$tmp/j1" -j 1 --quiet &&
	status 0 "run -j 3" "$LPSIM" run "$S" -o "$tmp/j3" -j 3 --quiet &&
	same "$tmp/j1" "$tmp/j3" "-j 1 vs -j 3"
status 0 "run again, same seed" "$LPSIM" run "$S" -o "$tmp/again" -j 2 --quiet &&
	{ [ -s "$tmp/out" ] && { say "run --quiet printed on stdout"; show "$tmp/out"; } || ok; } &&
	[ -d "$o" ] && same "$o" "$tmp/again" "same seed twice"
status 0 "run -s 12" "$LPSIM" run "$S" -o "$tmp/s12" -s 12 --quiet && {
	json "$tmp/s12/summary.json" "-s 12" 'd["seed"] == 12'
	grep -v '"wall_s"\|"seed"' "$tmp/j1/summary.json" >"$tmp/a"
	grep -v '"wall_s"\|"seed"' "$tmp/s12/summary.json" >"$tmp/b"
	if cmp -s "$tmp/a" "$tmp/b"; then say "-s 12 gives the same summary as seed 11"; else ok; fi
}

# ---- options -------------------------------------------------------------------
if status 0 "--all-replications" "$LPSIM" run "$S" -o "$tmp/all" --all-replications --quiet; then
	for f in hosts.csv vms.csv timeline.csv compliance.csv; do reps "$tmp/all/$f" "0 1 2 3 "; done
	n=$(grep -c '^classic,3,' "$tmp/all/hosts.csv")
	[ "$n" -eq 4 ] && ok || say "--all-replications: hosts.csv has $n classic rows for replication 3, want 4"
	# Replication 0 is the same with or without the other replications' rows.
	grep '^[a-z_]*,0,' "$tmp/all/hosts.csv" >"$tmp/a"
	tail -n +2 "$tmp/j1/hosts.csv" >"$tmp/b"
	cmp -s "$tmp/a" "$tmp/b" && ok || say "--all-replications: replication 0 rows of hosts.csv differ from a plain run"
	grep -v '"wall_s"' "$tmp/all/summary.json" >"$tmp/a"
	grep -v '"wall_s"' "$tmp/j1/summary.json" >"$tmp/b"
	cmp -s "$tmp/a" "$tmp/b" && ok || say "--all-replications changes summary.json"
	# The CSVs of every replication agree with summary.json.
	python3 - "$tmp/all" >"$tmp/py" 2>&1 <<'EOF' && ok || say "--all-replications: the CSVs disagree with summary.json: $(cat "$tmp/py")"
import collections, csv, json, math, sys
d = sys.argv[1]
S = json.load(open(d + "/summary.json"))
rows = lambda n: list(csv.DictReader(open(d + "/" + n)))
H, V, C = rows("hosts.csv"), rows("vms.csv"), rows("compliance.csv")
f = lambda x: float(x) if x != "" else math.nan
mean = lambda xs: sum(xs) / len(xs) if xs else None
bad = []
for s, st in S["strategies"].items():
    got = collections.defaultdict(list)
    for r in range(S["replications"]):
        hh = [h for h in H if h["strategy"] == s and int(h["replication"]) == r]
        vv = [v for v in V if v["strategy"] == s and int(v["replication"]) == r]
        cc = [int(c["compliant_hosts"]) for c in C if c["strategy"] == s and int(c["replication"]) == r]
        if len(hh) != st["hosts"]["total"] or len(vv) != st["vms"]["total"]:
            bad.append("%s r%d: %d host rows, %d VM rows" % (s, r, len(hh), len(vv)))
        ok = [h for h in hh if h["outcome"] == "compliant"]
        if cc != sorted(cc) or not cc or cc[-1] != len(ok):
            bad.append("%s r%d: compliance.csv %s, %d compliant hosts" % (s, r, cc, len(ok)))
        for h in hh:
            if (h["outcome"] == "compliant") != (h["compliant_at_s"] != ""):
                bad.append("%s r%d %s: outcome %s, compliant_at_s '%s'" % (s, r, h["host"], h["outcome"], h["compliant_at_s"]))
            elif h["outcome"] == "compliant" and f(h["compliant_at_s"]) < f(h["end_s"]):
                bad.append("%s r%d %s: compliant before the end of its remediation" % (s, r, h["host"]))
        got["compliant_at_end"].append(len(ok))
        got["live"].append(sum(h["path"] == "live" for h in hh))
        got["classic"].append(sum(h["path"] == "classic" for h in hh))
        got["downtime"].append(sum(f(v["downtime_s"]) for v in vv))
        got["makespan"].append(max(f(h["end_s"]) for h in hh))
        if len(ok) == len(hh):
            got["ttc"].append(max(f(h["compliant_at_s"]) for h in hh))
    for key, want in (("compliant_at_end", st["hosts"]["compliant_at_end"]["mean"]),
                      ("live", st["hosts"]["live"]["mean"]), ("classic", st["hosts"]["classic"]["mean"]),
                      ("downtime", st["vm_downtime_s"]["total"]["mean"]),
                      ("makespan", st["makespan_s"]["mean"]), ("ttc", st["time_to_compliance_s"]["mean"])):
        m = mean(got[key])
        if (m is None) != (want is None) or (m is not None and abs(m - want) > 1e-5 * max(1, abs(want))):
            bad.append("%s: %s: summary.json %s, CSVs %s" % (s, key, want, m))
print("; ".join(bad[:5]))
sys.exit(1 if bad else 0)
EOF
fi
if status 0 "-r 2" "$LPSIM" run "$S" -o "$tmp/r2" -r 2 --all-replications --quiet; then
	json "$tmp/r2/summary.json" "-r 2" 'd["replications"] == 2' \
		'all(d["strategies"][s]["makespan_s"]["n"] == 2 for s in d["strategies"])' \
		'd["comparison"]["makespan_diff_s"]["n"] == 2'
	reps "$tmp/r2/hosts.csv" "0 1 "
fi
if status 0 "--strategy live_patch" "$LPSIM" run "$S" -o "$tmp/lp" --strategy live_patch --quiet; then
	json "$tmp/lp/summary.json" "--strategy live_patch" \
		'list(d["strategies"]) == ["live_patch"]' '"comparison" not in d'
	for f in hosts.csv vms.csv timeline.csv compliance.csv; do strats "$tmp/lp/$f" "live_patch "; done
	# Common random numbers: live_patch alone is live_patch of both.
	python3 - "$tmp/lp/summary.json" "$tmp/j1/summary.json" <<'EOF' && ok || say "--strategy live_patch: its results differ from live_patch run with classic"
import json, sys
a, b = (json.load(open(f))["strategies"]["live_patch"] for f in sys.argv[1:3])
sys.exit(a != b)
EOF
fi
if status 0 "--strategy classic" "$LPSIM" run "$S" -o "$tmp/cl" --strategy classic --quiet; then
	json "$tmp/cl/summary.json" "--strategy classic" \
		'list(d["strategies"]) == ["classic"]' '"comparison" not in d'
fi
status 0 "--strategy both" "$LPSIM" run "$S" -o "$tmp/bo" --strategy both --quiet &&
	json "$tmp/bo/summary.json" "--strategy both" 'set(d["strategies"]) == {"live_patch", "classic"}' '"comparison" in d'

# --quiet: nothing on stdout, nothing on stderr, the files all the same.
if status 0 "--quiet" "$LPSIM" run "$S" -o "$tmp/q" --quiet; then
	[ -s "$tmp/out" ] && { say "--quiet: something on stdout"; show "$tmp/out"; } || ok
	[ -s "$tmp/err" ] && { say "--quiet: something on stderr"; show "$tmp/err"; } || ok
	[ -s "$tmp/q/summary.txt" ] && ok || say "--quiet: summary.txt empty or missing"
fi

# The default directory: ./lpsim-out/<scenario name>/.
mkdir "$tmp/cwd"
abs=$(pwd)/$S
abs_bad=$(pwd)/$D/bad.yaml
if (cd "$tmp/cwd" && "$LPSIM" run "$abs" --quiet >/dev/null 2>&1); then
	for f in $FILES; do [ -f "$tmp/cwd/lpsim-out/small/$f" ] || say "default directory: no lpsim-out/small/$f"; done
	ok
else
	say "run without -o failed"
fi

# Re-running into an existing results directory replaces it cleanly.
if status 0 "run into an existing directory" "$LPSIM" run "$S" -o "$o" -s 12 --quiet; then
	json "$o/summary.json" "rerun -s 12" 'd["seed"] == 12'
	no_temps "$o"
	n=$(find "$o" -type f | wc -l)
	[ "$n" -eq 10 ] && ok || say "rerun: $n files in the results directory, want the seven and three charts: $(ls "$o")"
	for c in timeline compliance downtime; do
		[ -s "$o/$c.png" ] && ok || say "rerun: no $c.png"
	done
fi

# ---- exit statuses ------------------------------------------------------------
status 66 "missing scenario" "$LPSIM" run "$tmp/nope.yaml" -o "$tmp/x66" &&
	{ grep -q "^lpsim: $tmp/nope.yaml: No such file or directory\$" "$tmp/err" && ok || { say "missing scenario: message"; show "$tmp/err"; }; }
[ -e "$tmp/x66" ] && say "missing scenario: $tmp/x66 created"

status 65 "bad scenario" "$LPSIM" run "$D/bad.yaml" -o "$tmp/x65" && {
	grep -q "^$D/bad.yaml:[0-9][0-9]*:[0-9][0-9]*: error: " "$tmp/err" && ok ||
		{ say "bad scenario: no 'file:line:col: error:' line on stderr"; show "$tmp/err"; }
	grep -q "^$D/bad.yaml:8:[0-9]*: error: .*memory_gb" "$tmp/err" && ok || { say "bad scenario: memory_gb error not at line 8"; show "$tmp/err"; }
	grep -q "^$D/bad.yaml:10:[0-9]*: error: .*colour" "$tmp/err" && ok || { say "bad scenario: unknown key not reported at line 10"; show "$tmp/err"; }
	[ -s "$tmp/out" ] && say "bad scenario: something on stdout"
}
[ -e "$tmp/x65" ] && say "bad scenario: output directory $tmp/x65 created"
rm -rf "$tmp/cwd/lpsim-out"
(cd "$tmp/cwd" && "$LPSIM" run "$abs_bad" >/dev/null 2>&1)
[ $? -eq 65 ] && ok || say "bad scenario without -o: exit status not 65"
[ -e "$tmp/cwd/lpsim-out" ] && say "bad scenario without -o: lpsim-out created"

for args in "--frobnicate $S" "-j 0 $S" "-j abc $S" "-r 0 $S" "-r -1 $S" "-s xyz $S" "--strategy fsr $S" "$S $S" "" "-o"; do
	# shellcheck disable=SC2086
	if status 64 "run $args" "$LPSIM" run $args; then
		[ -s "$tmp/out" ] && say "run $args: usage error printed on stdout"
		head -n 1 "$tmp/err" | grep -q '^lpsim: run: ' && ok ||
			say "run $args: first stderr line is not 'lpsim: run: ...': $(head -n 1 "$tmp/err")"
	fi
done

touch "$tmp/file"
for dir in /proc/lpsim-x "$tmp/file/sub" "$tmp/file"; do
	if status 73 "-o $dir" "$LPSIM" run "$S" -o "$dir" -r 1 --quiet; then
		grep -qF "$dir" "$tmp/err" && ok || { say "-o $dir: the path is not in the message"; show "$tmp/err"; }
		grep -q '^lpsim: ' "$tmp/err" && ok || { say "-o $dir: message not prefixed 'lpsim:'"; show "$tmp/err"; }
	fi
done
[ -f "$tmp/file" ] && [ ! -s "$tmp/file" ] && ok || say "-o FILE: the regular file was changed"
# An unusable -o is found before the simulation, not after it.
LPSIM_PHASES=1 "$LPSIM" run "$S" -o "$tmp/file/sub" -r 2 --quiet >/dev/null 2>"$tmp/err"
grep -q 'phase simulate' "$tmp/err" && say "-o under a file: found only after simulating" || ok
chmod 555 "$tmp/cwd" 2>/dev/null
if [ "$(id -u)" -ne 0 ]; then
	status 73 "-o under a read-only directory" "$LPSIM" run "$S" -o "$tmp/cwd/ro" -r 1 --quiet
fi
chmod 755 "$tmp/cwd"

# ---- interrupts ------------------------------------------------------------------
# interrupt_run SIG WANT WHAT DIR: a long run into DIR, SIG after 0.5 s; exits
# WANT within 10 s (interrupt, lib.inc) and writes nothing.
interrupt_run() {
	interrupt "$1" "$2" "$3" 0.5 "$LPSIM" run "$S" -o "$4" -r 200000 -j 2 --quiet
}
mkdir "$tmp/int"
interrupt_run INT 130 "SIGINT" "$tmp/int/out"
left=$(ls -A "$tmp/int")
[ -z "$left" ] && ok || say "SIGINT: left in the parent of the output directory: $left"
interrupt_run TERM 143 "SIGTERM" "$tmp/int/out"
left=$(ls -A "$tmp/int")
[ -z "$left" ] && ok || say "SIGTERM: left in the parent of the output directory: $left"
# An interrupted run into an existing results directory leaves it as it was.
cp -R "$tmp/j1" "$tmp/j1.before"
interrupt_run INT 130 "SIGINT over earlier results" "$tmp/j1"
if diff -r "$tmp/j1.before" "$tmp/j1" >/dev/null; then ok; else say "SIGINT over earlier results: the directory changed"; diff -r "$tmp/j1.before" "$tmp/j1" | head -n 5; fi

# Replications whose per-VM results would not fit in memory: refused at once, nothing written.
if status 65 "a million replications of config-max" "$LPSIM" run scenarios/config-max.yaml -r 1000000 -o "$tmp/huge"; then
	grep -q '^lpsim: .*more than this machine' "$tmp/err" && ok || { say "huge run: no message naming the memory"; show "$tmp/err"; }
	[ -e "$tmp/huge" ] && say "huge run: created its output directory"
fi

# Heavy tails: a draw past the kernel's time range means the step does not
# finish within the horizon (its host is still in remediation), not exit 70.
status 0 "heavy-tailed latencies" "$LPSIM" run "$D/heavy-tail.yaml" -o "$tmp/heavy" -j 1 --quiet
awk -F, 'NR > 1 && $6 != "" && $7 == "" && $9 == "non_compliant" { n++ } END { exit !(n > 0) }' "$tmp/heavy/hosts.csv" && ok || { say "heavy tails: no host still in remediation at the horizon"; show "$tmp/heavy/hosts.csv"; }
grep -q '"max":2592000}' "$tmp/heavy/summary.json" && ok || say "heavy tails: no makespan at the horizon"

echo "run.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
