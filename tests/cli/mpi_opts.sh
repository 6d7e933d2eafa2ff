#!/bin/sh
# shellcheck disable=SC2015 # "A && ok || say": ok always succeeds
# mpi_opts.sh: ./lpsim-mpi reads the options of run and sweep as they do
# (their own getopt_long tables), and rank 0 draws the charts one process
# draws. A machine without ./lpsim-mpi or mpirun fails this test, as mpi.sh.
#   - -oDIR in one word, --out=DIR (an abbreviation), -qoDIR: the results
#     are where they say, the same as one process's (charts included)
#   - --no-p (--no-plots abbreviated): no chart
#   - --sh I/N (--shard abbreviated): refused (64), nothing written
: "${LPSIM:=./lpsim}"
case $LPSIM in /*) ;; *) LPSIM=$(pwd)/$LPSIM ;; esac
: "${LPSIM_MPI:=./lpsim-mpi}"
S=tests/data/sweep/small.yaml
P="vcenter.remediation.parallel.max_hosts=1,auto"
T=mpi_opts.sh
# shellcheck source=tests/cli/lib.inc
. "$(dirname "$0")/lib.inc"
if [ ! -x "$LPSIM_MPI" ] || ! command -v mpirun >/dev/null 2>&1; then
	echo "mpi_opts.sh: FAIL: $LPSIM_MPI or mpirun missing (make mpi; apt-get install openmpi-bin libopenmpi-dev)"
	exit 1
fi
# mpi WANT WHAT ARGS...: mpirun -n 2 lpsim-mpi ARGS exits WANT.
mpi() {
	want=$1; what=$2; shift 2
	mpirun --allow-run-as-root --oversubscribe -n 2 "$LPSIM_MPI" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		say "$what: exit $got, want $want"
		show "$tmp/err"
		return 1
	fi
	ok
}
CHARTS="timeline.png compliance.png downtime.png"

status 0 "run, one process" "$LPSIM" run "$S" -o "$tmp/one" -r 3 -j 1 -q
mpi 0 "run -oDIR" run "$S" -o"$tmp/a" -r 3 -j 1 -q
# shellcheck disable=SC2086 # a list of names
same_files "$tmp/one" "$tmp/a" summary.json summary.txt hosts.csv vms.csv $CHARTS

mpi 0 "run --out=DIR --no-p" run "$S" --out="$tmp/b" -r 3 -j 1 --qui --no-p
same_files "$tmp/one" "$tmp/b" summary.json summary.txt
[ -e "$tmp/b/timeline.png" ] && say "run --no-p drew timeline.png" || ok

status 0 "sweep, one process" "$LPSIM" sweep "$S" -o "$tmp/sone" -r 3 -j 1 --param "$P" -q
mpi 0 "sweep -qoDIR" sweep "$S" -qo"$tmp/c" -r 3 -j 1 --par "$P"
same_files "$tmp/sone" "$tmp/c" sweep.csv sweep.json sweep.png

mpi 64 "run --sh 1/2" run "$S" --sh 1/2 -o "$tmp/d"
grep -qF "lpsim-mpi shares the work itself: no --sh" "$tmp/err" && ok ||
	{ say "--sh 1/2: not refused by name"; show "$tmp/err"; }
[ -e "$tmp/d" ] && say "a refused run wrote $tmp/d" || ok

echo "mpi_opts.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
