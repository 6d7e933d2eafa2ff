#!/bin/sh
# shellcheck disable=SC2015 # "A && ok || say": ok always succeeds
# shard.sh: `--shard I/N` on run and sweep, and `lpsim merge`, on
# tests/data/sweep/small.yaml. Run from the repository root with LPSIM set.
#   - run: shards 1..3 of 7 replications merged = one process: every CSV
#     and summary.txt byte for byte, summary.json but for wall_s; also with
#     more shards than replications (empty shards)
#   - sweep: shards 1..4 merged = one process (sweep.csv byte for byte,
#     sweep.json but for wall_s); shards in two directories
#   - errors: a shard missing (65), a shard twice (65), shards of different
#     runs (65), a damaged line (65), no -o (64), --shard with
#     --all-replications (64), no shard files (66)
: "${LPSIM:=./lpsim}"
case $LPSIM in /*) ;; *) LPSIM=$(pwd)/$LPSIM ;; esac
S=tests/data/sweep/small.yaml
T=shard.sh
# shellcheck source=tests/cli/lib.inc
. "$(dirname "$0")/lib.inc"
RUNFILES="summary.json summary.txt hosts.csv vms.csv timeline.csv compliance.csv"

# ---- run -----------------------------------------------------------------------
status 0 "run, one process" "$LPSIM" run "$S" -o "$tmp/one" -r 7 -j 2 --quiet
for i in 1 2 3; do
	status 0 "run shard $i/3" "$LPSIM" run "$S" -o "$tmp/sh" -r 7 -j 2 --shard "$i/3"
done
n=0
for f in "$tmp"/sh/*; do n=$((n + 1)); done
[ "$n" -eq 3 ] && [ -f "$tmp/sh/shard-1-of-3.jsonl" ] && [ -f "$tmp/sh/shard-3-of-3.jsonl" ] && ok ||
	say "run shards: want shard-1-of-3.jsonl .. shard-3-of-3.jsonl only"
[ "$(wc -l <"$tmp/sh/shard-2-of-3.jsonl")" -eq 5 ] && ok || say "shard 2/3: want a header and 2x2 records"
status 0 "merge run" "$LPSIM" merge "$tmp/sh" -o "$tmp/m"
cmp -s "$tmp/out" "$tmp/m/summary.txt" && ok || say "merge: stdout is not summary.txt"
# shellcheck disable=SC2086 # a list of names
same_files "$tmp/one" "$tmp/m" $RUNFILES
for i in 1 2 3 4 5 6 7 8 9; do
	status 0 "run shard $i/9" "$LPSIM" run "$S" -o "$tmp/sh9" -r 7 --shard "$i/9" -q
done
status 0 "merge 9 shards" "$LPSIM" merge "$tmp/sh9" -o "$tmp/m9" -q
# shellcheck disable=SC2086 # a list of names
same_files "$tmp/one" "$tmp/m9" $RUNFILES

# ---- sweep ---------------------------------------------------------------------
P="vcenter.remediation.parallel.max_hosts=1,auto"
status 0 "sweep, one process" "$LPSIM" sweep "$S" -o "$tmp/sone" -r 3 --param "$P" -q
for i in 1 2; do status 0 "sweep shard $i/4" "$LPSIM" sweep "$S" -o "$tmp/ssa" -r 3 --param "$P" --shard "$i/4" -q; done
for i in 3 4; do status 0 "sweep shard $i/4" "$LPSIM" sweep "$S" -o "$tmp/ssb" -r 3 --param "$P" --shard "$i/4" -q; done
status 0 "merge sweep" "$LPSIM" merge "$tmp/ssa" "$tmp/ssb" -o "$tmp/sm" -q
same_files "$tmp/sone" "$tmp/sm" sweep.csv sweep.json

# ---- errors --------------------------------------------------------------------
status 65 "a shard missing" "$LPSIM" merge "$tmp/ssa" -o "$tmp/bad"
grep -q "shard 3 of 4 is missing" "$tmp/err" && ok || { say "missing shard not named"; show "$tmp/err"; }
status 65 "a shard twice" "$LPSIM" merge "$tmp/ssa" "$tmp/ssa/shard-1-of-4.jsonl" "$tmp/ssb" -o "$tmp/bad"
status 65 "shards of two runs" "$LPSIM" merge "$tmp/ssa" "$tmp/sh/shard-3-of-3.jsonl" -o "$tmp/bad"
mkdir -p "$tmp/dmg"
cp "$tmp/sh"/*.jsonl "$tmp/dmg/"
sed -i '2s/"t":\[/"t":[x/' "$tmp/dmg/shard-2-of-3.jsonl"
status 65 "a damaged line" "$LPSIM" merge "$tmp/dmg" -o "$tmp/bad"
grep -q "shard-2-of-3.jsonl:2:" "$tmp/err" && ok || { say "damaged line not located"; show "$tmp/err"; }
status 64 "merge without -o" "$LPSIM" merge "$tmp/sh"
status 64 "--shard with --all-replications" "$LPSIM" run "$S" -o "$tmp/bad" --shard 1/2 --all-replications
status 64 "--shard 0/2" "$LPSIM" run "$S" -o "$tmp/bad" --shard 0/2
mkdir -p "$tmp/empty"
status 66 "no shard files" "$LPSIM" merge "$tmp/empty" -o "$tmp/bad"
[ -e "$tmp/bad" ] && say "a failed merge wrote $tmp/bad" || ok

echo "shard.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
