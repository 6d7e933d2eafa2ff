#!/bin/sh
# shellcheck disable=SC2015 # "A && ok || say": ok always succeeds
# mpi.sh: ./lpsim-mpi (make mpi) under `mpirun -n 2` and `-n 3` writes what
# one process ($LPSIM) writes, for run (every file; summary.json but for
# wall_s) and sweep (sweep.csv; sweep.json but for wall_s). A machine
# without ./lpsim-mpi or mpirun fails this test: it does not skip.
: "${LPSIM:=./lpsim}"
case $LPSIM in /*) ;; *) LPSIM=$(pwd)/$LPSIM ;; esac
: "${LPSIM_MPI:=./lpsim-mpi}"
S=tests/data/sweep/small.yaml
T=mpi.sh
# shellcheck source=tests/cli/lib.inc
. "$(dirname "$0")/lib.inc"
if [ ! -x "$LPSIM_MPI" ] || ! command -v mpirun >/dev/null 2>&1; then
	echo "mpi.sh: FAIL: $LPSIM_MPI or mpirun missing (make mpi; apt-get install openmpi-bin libopenmpi-dev)"
	exit 1
fi
mpi() {
	n=$1; shift
	# Open MPI's shared-memory transport wants room in /dev/shm; a
	# container may not have it: vader falls back, so silence its notice.
	if ! mpirun --allow-run-as-root --oversubscribe -n "$n" "$LPSIM_MPI" "$@" >"$tmp/out" 2>"$tmp/err"; then
		say "mpirun -n $n lpsim-mpi $*: failed"
		show "$tmp/err"
		return 1
	fi
	ok
}
P="vcenter.remediation.parallel.max_hosts=1,auto"
"$LPSIM" run "$S" -o "$tmp/one" -r 5 -j 1 --quiet && ok || say "run failed"
"$LPSIM" sweep "$S" -o "$tmp/sone" -r 3 -j 1 --param "$P" --quiet && ok || say "sweep failed"
for n in 2 3; do
	mpi "$n" run "$S" -o "$tmp/r$n" -r 5 -j 1 --quiet
	same_files "$tmp/one" "$tmp/r$n" summary.json summary.txt hosts.csv vms.csv timeline.csv compliance.csv
	mpi "$n" sweep "$S" -o "$tmp/s$n" -r 3 -j 1 --param "$P" --quiet
	same_files "$tmp/sone" "$tmp/s$n" sweep.csv sweep.json
done
# A bad scenario: every rank fails, the status is the one process's.
mpirun --allow-run-as-root --oversubscribe -n 2 "$LPSIM_MPI" run tests/data/run/bad.yaml -o "$tmp/bad" >/dev/null 2>&1
got=$?
[ "$got" -eq 65 ] && ok || say "bad scenario under mpirun: exit $got, want 65"
[ -e "$tmp/bad" ] && say "bad scenario under mpirun wrote $tmp/bad" || ok
echo "mpi.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
