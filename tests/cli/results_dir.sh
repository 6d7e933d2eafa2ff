#!/bin/sh
# shellcheck disable=SC2015 # "A && ok || say": ok always succeeds
# results_dir.sh: a results directory changes as one step (sim/atomicio.h's
# adir), deterministically: LPSIM_TEST_HOLD=POINT:FIFO (sim/cli.h) stops
# `lpsim run` at a given instant until this script lets it go, so no test
# here depends on timing.
#   - a second writer while the first holds the directory: exit 73, "another
#     lpsim is writing", nothing changed; then the first completes
#   - SIGTERM / SIGINT in the write phase and at the commit point (everything
#     written, not yet swapped in): 128+N, the previous results byte for
#     byte, no temporary
#   - SIGKILL at the commit point: the previous results; SIGKILL after the
#     swap: the new results; either way the next run leaves no temporary
#   - concurrent runs with different seeds: every file from one run
#   - files not of the set (notes) are kept; the old charts are not
#   - charts that do not fit (ulimit -f): exit 73 naming the files written
#     and those not; the results are complete
# Run from the repository root with LPSIM set to the binary.
: "${LPSIM:=./lpsim}"
case $LPSIM in /*) ;; *) LPSIM=$(pwd)/$LPSIM ;; esac
S=tests/data/run/small.yaml
T=results_dir.sh
# shellcheck source=tests/cli/lib.inc
. "$(dirname "$0")/lib.inc"

FILES="summary.json summary.txt hosts.csv vms.csv timeline.csv compliance.csv"
nholds=0
relpid=

# run_into DIR SEED [ARGS...]: a quiet run of small.yaml without charts.
run_into() {
	d=$1; seed=$2; shift 2
	"$LPSIM" run "$S" -o "$d" -s "$seed" -r 2 -j 1 --quiet --no-plots "$@"
}

# same_set DIR REF WHAT: DIR holds exactly REF's results (summary.json but for wall_s).
same_set() {
	for f in $FILES; do
		if [ ! -f "$1/$f" ]; then say "$3: no $f"; continue; fi
		case $f in
		*.json) grep -v '"wall_s"' "$1/$f" >"$tmp/a"; grep -v '"wall_s"' "$2/$f" >"$tmp/b" ;;
		*) cp "$1/$f" "$tmp/a"; cp "$2/$f" "$tmp/b" ;;
		esac
		cmp -s "$tmp/a" "$tmp/b" && ok || say "$3: $f is not the expected run's"
	done
}

# which_set DIR: prints "1" or "2" when DIR holds exactly ref1's or ref2's results, else "mix".
which_set() {
	for r in 1 2; do
		m=yes
		for f in $FILES; do
			grep -v '"wall_s"' "$1/$f" >"$tmp/a" 2>/dev/null || m=no
			grep -v '"wall_s"' "$tmp/ref$r/$f" >"$tmp/b"
			cmp -s "$tmp/a" "$tmp/b" || m=no
		done
		[ $m = yes ] && { echo "$r"; return; }
	done
	echo mix
}

# no_temps PARENT DIR WHAT: no staging directory beside DIR nor temporary inside it.
no_temps() {
	left=$(ls -A "$1" | grep -E "^\.$(basename "$2")\.lpsim-" | head -n 3)
	[ -z "$left" ] && ok || say "$3: staging left beside the directory: $left"
	left=$(ls -A "$2" | grep -E '^\.lpsim-tmp\.|\.tmp\.' | head -n 3)
	[ -z "$left" ] && ok || say "$3: temporaries left inside the directory: $left"
}

# alive PID: the process runs (not a zombie: this shell reaps it only in finish).
alive() { [ -r "/proc/$1/stat" ] && ! grep -q ') Z ' "/proc/$1/stat" 2>/dev/null; }

# held POINT DIR SEED: starts a run into DIR held at POINT; $bgpid is its pid.
# A fresh FIFO each time; a guard opens it should the run end without
# holding (an lpsim without the hook), so that the script never hangs.
held() {
	nholds=$((nholds + 1))
	fifo=$tmp/hold$nholds
	mkfifo "$fifo"
	env LPSIM_TEST_HOLD="$1:$fifo" "$LPSIM" run "$S" -o "$2" -s "$3" -r 2 -j 1 --quiet \
		--no-plots >"$tmp/hout" 2>"$tmp/herr" &
	bgpid=$!
	(while alive "$bgpid"; do sleep 0.1; done; exec 3<>"$fifo") &
	got=$(cat "$fifo") # in a child: this shell's SIGCHLD cannot interrupt the open
	[ "$got" = "$1" ] && ok || say "hold $1: the run said '$got'"
}

# release: lets the held run go on (unless it is gone).
# In the background: with an lpsim gone (or without the hook), finish ends it.
release() { (exec >"$fifo") & relpid=$!; }

# finish WANT WHAT: waits for the held run; it exits WANT.
finish() {
	wait "$bgpid"
	got=$?
	bgpid=
	[ -n "$relpid" ] && kill "$relpid" 2>/dev/null
	relpid=
	[ "$got" -eq "$1" ] && ok || { say "$2: exit $got, want $1"; show "$tmp/herr"; }
}

# Two reference sets, one per seed; their vms.csv differ.
run_into "$tmp/ref1" 1 && run_into "$tmp/ref2" 2 || say "the reference runs failed"
cmp -s "$tmp/ref1/vms.csv" "$tmp/ref2/vms.csv" && say "seeds 1 and 2 give the same vms.csv"

# ---- a second writer is refused while the first holds the directory ---------------
o=$tmp/p/out
run_into "$o" 1 || say "first run into $o failed"
echo "my notes" >"$o/notes.txt"
held commit "$o" 2
if status 73 "second writer" run_into "$o" 2; then
	grep -q "^lpsim: .*out: another lpsim is writing into this results directory" "$tmp/err" && ok ||
		{ say "second writer: no message naming the lock"; show "$tmp/err"; }
fi
same_set "$o" "$tmp/ref1" "while held"
release
finish 0 "the held run"
same_set "$o" "$tmp/ref2" "after the held run"
no_temps "$tmp/p" "$o" "after the held run"
[ "$(cat "$o/notes.txt" 2>/dev/null)" = "my notes" ] && ok || say "notes.txt was not kept"

# The old charts are not kept with new results: they belong to the old ones.
"$LPSIM" run "$S" -o "$o" -s 1 -r 2 -j 1 --quiet || say "run with charts failed"
[ -f "$o/timeline.png" ] && ok || say "no timeline.png"
run_into "$o" 2
[ -e "$o/timeline.png" ] && say "a chart of the previous run stayed with --no-plots" || ok

# ---- signals at the commit point -----------------------------------------------------
for at in write:TERM commit:TERM commit:INT; do
	sig=${at#*:}
	run_into "$o" 1
	held "${at%:*}" "$o" 2
	kill -"$sig" "$bgpid"
	release
	want=143; [ $sig = INT ] && want=130
	finish $want "SIG$sig at $at"
	grep -q '^lpsim: interrupted: nothing written' "$tmp/herr" && ok ||
		{ say "SIG$sig at $at: no 'interrupted' message"; show "$tmp/herr"; }
	same_set "$o" "$tmp/ref1" "SIG$sig at $at"
	no_temps "$tmp/p" "$o" "SIG$sig at $at"
done

# ---- SIGKILL at the commit point and after the swap --------------------------------
run_into "$o" 1
held commit "$o" 2
kill -KILL "$bgpid"
finish 137 "SIGKILL at the commit point"
same_set "$o" "$tmp/ref1" "SIGKILL at the commit point"
ls -A "$tmp/p" | grep -q "^\.out\.lpsim-" && ok || say "SIGKILL at the commit point: no staging left (the test sees nothing)"
run_into "$o" 2 || say "the run after a SIGKILL failed"
same_set "$o" "$tmp/ref2" "the run after a SIGKILL"
no_temps "$tmp/p" "$o" "the run after a SIGKILL at the commit point"

held swapped "$o" 1
kill -KILL "$bgpid"
finish 137 "SIGKILL after the swap"
same_set "$o" "$tmp/ref1" "SIGKILL after the swap"
ls -A "$tmp/p" | grep -q "^\.out\.lpsim-" && ok || say "SIGKILL after the swap: the old set is not left beside"
run_into "$o" 2 || say "the run after a SIGKILL failed"
no_temps "$tmp/p" "$o" "the run after a SIGKILL after the swap"
[ "$(cat "$o/notes.txt" 2>/dev/null)" = "my notes" ] && ok || say "notes.txt was lost through the kills"

# ---- concurrent writers never mix --------------------------------------------------
for i in 1 2 3 4 5 6 7 8; do
	c=$tmp/c$i
	run_into "$c" 1 >/dev/null 2>"$tmp/e1" &
	p1=$!
	run_into "$c" 2 >/dev/null 2>"$tmp/e2" &
	p2=$!
	wait $p1; s1=$?
	wait $p2; s2=$?
	for s in "$s1:$tmp/e1" "$s2:$tmp/e2"; do
		st=${s%%:*}
		if [ "$st" -eq 0 ]; then ok
		elif [ "$st" -eq 73 ] && grep -q "another lpsim is writing" "${s#*:}"; then ok
		else say "concurrent run $i: exit $st"; show "${s#*:}"; fi
	done
	[ "$(which_set "$c")" != mix ] && ok || say "concurrent runs $i: the directory mixes two runs"
	no_temps "$tmp" "$c" "concurrent runs $i"
done

# ---- charts that do not fit --------------------------------------------------------
# The results are below 8 KB each, every chart above 20 KB: a 16 KB limit
# on file sizes (SIGXFSZ ignored: writes fail with EFBIG) stops the charts only.
q=$tmp/q/out
(trap '' XFSZ; ulimit -f 32; exec "$LPSIM" run "$S" -o "$q" -s 1 -r 2 -j 1 --quiet) >"$tmp/out" 2>"$tmp/err"
got=$?
[ "$got" -eq 73 ] && ok || { say "charts that do not fit: exit $got, want 73"; show "$tmp/err"; }
grep -q "^lpsim: .*q/out: the results are complete (summary.json, summary.txt, hosts.csv, vms.csv, timeline.csv, compliance.csv); not written: timeline.png, compliance.png, downtime.png$" "$tmp/err" && ok ||
	{ say "charts that do not fit: no message saying which files were written"; show "$tmp/err"; }
same_set "$q" "$tmp/ref1" "charts that do not fit"
no_temps "$tmp/q" "$q" "charts that do not fit"

echo "results_dir.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
