#!/bin/sh
# make bench: sh tests/bench.sh LPSIM OUTFILE
#   - the kernel hold model at 10^3, 10^5 and 10^6 pending events, and the
#     same with other event queues: the heap at arity 2 and 8, the radix
#     heap (QUEUE_BINS, from the Makefile);
#   - `lpsim run` on scenarios/config-max.yaml (96 hosts, 8,000 VMs): 1000
#     replications of live_patch, then of both strategies, on 2 threads:
#     wall time and peak RSS;
#   - `lpsim run` on scenarios/fleet-100k.yaml (100,000 hosts, 2,000,000
#     VMs), one replication of each strategy on 2 threads: wall time, peak
#     RSS and events per second of wall time;
#   - the speed-up of -j 2 over -j 1 on config-max;
#   - `lpsim sweep` of config-max over 40 points (max_hosts 1..40), 100
#     replications each, -j 1 and -j 2: wall times and the speed-up;
#   - the peer comparison: lpsim against a SimPy model of the live path
#     (tests/peer/compare.py).
# Prints one line per figure and writes them to OUTFILE (through a temporary
# file and a rename). Times are measured, never asserted. The script fails
# (exit 1, OUTFILE not written) if a command fails, if the sweeps on -j 1
# and -j 2 write different sweep.csv files, if the peer comparison finds
# the two models disagree, or if it cannot run it (no /usr/bin/python3 with
# SimPy and PyYAML). Wall time and peak RSS come from /usr/bin/time when it
# is there, else the wall time from date and no RSS.
LPSIM=$1
out=$2
if [ -z "$LPSIM" ] || [ -z "$out" ]; then
	echo "usage: sh tests/bench.sh LPSIM OUTFILE" >&2
	exit 64
fi
export LC_ALL=C
tmp="$out.tmp.$$"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work" "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
CM=scenarios/config-max.yaml
FL=scenarios/fleet-100k.yaml
TIME=
[ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' true >/dev/null 2>&1 && TIME=/usr/bin/time

# measure ARGS...: runs `$LPSIM run ARGS... -o $work/out --quiet`; sets W
# (wall seconds), M (peak RSS in KB, empty if unknown), E (the events of
# summary.json, summed over strategies) and S (its wall_s: the simulation
# alone, without loading, statistics and writing) and P (where the wall time
# went, from LPSIM_PHASES). Returns the run's status.
measure() {
	rm -rf "$work/out"
	if [ -n "$TIME" ]; then
		LPSIM_PHASES=1 "$TIME" -f '%e %M' -o "$work/time" "$LPSIM" run "$@" -o "$work/out" --quiet 2>"$work/err"
		st=$?
		# On failure GNU time writes "Command exited with ..." first.
		W=$(tail -n 1 "$work/time" | cut -d' ' -f1)
		M=$(tail -n 1 "$work/time" | cut -d' ' -f2)
	else
		t0=$(date +%s.%N)
		LPSIM_PHASES=1 "$LPSIM" run "$@" -o "$work/out" --quiet 2>"$work/err"
		st=$?
		t1=$(date +%s.%N)
		W=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
		M=
	fi
	E=
	S=
	P=$(sed -n 's/^lpsim: phase \([a-z]*\) *\([0-9.]*\) s$/\1 \2/p' "$work/err" | paste -sd, - | sed 's/,/, /g')
	if [ "$st" -eq 0 ]; then
		E=$(grep '"events"' "$work/out/summary.json" |
			sed 's/.*"mean":\([^,}]*\).*/\1/' | awk '{ s += $1 } END { printf "%.0f", s }')
		S=$(sed -n 's/^ *"wall_s": *\([0-9.]*\).*/\1/p' "$work/out/summary.json")
	else
		echo "bench: lpsim run $* failed (exit $st):" >&2
		sed 's/^/    /' "$work/err" >&2
		: >"$work/failed"
	fi
	rm -rf "$work/out"
	return "$st"
}

# mem: " , peak N MB" from M, or ", peak RSS n/a".
mem() {
	if [ -n "$M" ]; then
		awk -v k="$M" 'BEGIN { printf ", peak %.0f MB", k / 1024 }'
	else
		printf ', peak RSS n/a (no /usr/bin/time)'
	fi
}

{
	echo "# lpsim bench, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -m), $(nproc) cores"
	echo "# $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')"
	echo "## kernel hold model (one core): pop the earliest event, reschedule at now + Exp(1)"
	for p in 1000 100000 1000000; do
		"$LPSIM" bench --pending $p --events 20000000 || : >"$work/failed"
	done
	if [ -n "$QUEUE_BINS" ]; then
		echo "## the same kernel with other event queues (lpsim uses the ladder queue)"
		for b in $QUEUE_BINS; do
			for p in 1000 1000000; do
				printf '%s: ' "$(basename "$b")"
				"$b" bench --pending $p --events 10000000 || : >"$work/failed"
			done
		done
	fi

	echo "## lpsim run, whole process (load, simulate, write the results), --quiet"
	if measure "$CM" --strategy live_patch -r 1000 -j 2; then
		echo "config-max live_patch 1000 reps -j2: $W s$(mem) (simulation alone: $S s)"
	fi
	if measure "$CM" -r 1000 -j 2; then
		echo "config-max both strategies 1000 reps -j2: $W s$(mem) (simulation alone: $S s)"
	fi
	if measure "$FL" -r 1 -j 2; then
		rate=$(awk -v e="$E" -v w="$W" -v s="$S" 'BEGIN {
			if (w > 0) printf "%.2f M events/s", e / w / 1e6; else printf "n/a"
			if (s > 0) printf " (%.2f M/s over the simulation alone, %s s)", e / s / 1e6, s }')
		echo "fleet-100k both strategies 1 rep -j2: $W s$(mem), $E events, $rate"
		echo "  where the time went (s): $P"
	fi

	echo "## threads: config-max live_patch, 400 replications"
	if measure "$CM" --strategy live_patch -r 400 -j 1; then
		w1=$W
		s1=$S
		echo "config-max live_patch 400 reps -j1: $W s$(mem) (simulation alone: $S s)"
		if measure "$CM" --strategy live_patch -r 400 -j 2; then
			echo "config-max live_patch 400 reps -j2: $W s$(mem) (simulation alone: $S s)"
			awk -v a="$w1" -v b="$W" -v c="$s1" -v d="$S" 'BEGIN {
				if (b > 0) printf "speed-up -j2 over -j1: %.2fx", a / b
				if (d > 0) printf " (simulation alone: %.2fx)", c / d
				printf "\n" }'
		fi
	fi

	# Sweeps (issue 7): 40 points (parallel.max_hosts 1..40) of config-max,
	# 100 replications each, both strategies; each thread takes whole points.
	echo "## sweep: config-max, 40 points (max_hosts 1..40) x 100 replications, both strategies"
	V=$(seq -s, 1 40)
	sw1=
	sw2=
	for j in 1 2; do
		t0=$(date +%s.%N)
		if "$LPSIM" sweep "$CM" --param vcenter.remediation.parallel.max_hosts="$V" -r 100 -j $j \
			-o "$work/sweep$j" --quiet 2>"$work/err"; then
			t1=$(date +%s.%N)
			w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
			echo "config-max sweep 40 points x 100 reps -j$j: $w s"
			if [ "$j" -eq 1 ]; then sw1=$w; else sw2=$w; fi
		else
			echo "bench: lpsim sweep -j $j failed:" >&2
			sed 's/^/    /' "$work/err" >&2
			: >"$work/failed"
		fi
	done
	if [ -n "$sw1" ] && [ -n "$sw2" ]; then
		cmp -s "$work/sweep1/sweep.csv" "$work/sweep2/sweep.csv" || {
			echo "bench: sweep -j 1 and -j 2 differ" >&2
			: >"$work/failed"
		}
		awk -v a="$sw1" -v b="$sw2" 'BEGIN { if (b > 0) printf "sweep speed-up -j2 over -j1: %.2fx\n", a / b }'
	fi

	# The coverage study (issue 17): tests/test_stats.c's, with 5000 trials
	# per shape and size instead of 300.
	echo "## coverage of the mean's 95% intervals (Student t, bootstrap-t; tests/test_stats.c)"
	if [ -x build/rel/bin/test_stats ]; then
		LPSIM_COVERAGE_TRIALS=5000 build/rel/bin/test_stats 2>&1 |
			sed -n '/^coverage of the mean/,/^  rare *100/p' || : >"$work/failed"
	else
		echo "bench: build/rel/bin/test_stats missing" >&2
		: >"$work/failed"
	fi

	# The peer comparison (issue 9): the same live path in SimPy
	# (tests/peer/), one thread each; fails if the mean makespans (or total
	# VM downtimes) disagree beyond 3 combined standard errors.
	echo "## peer: lpsim against a SimPy model of the live path (tests/peer/compare.py)"
	if /usr/bin/python3 -c 'import SimPy.Simulation, yaml' 2>/dev/null; then
		/usr/bin/python3 tests/peer/compare.py "$LPSIM" || : >"$work/failed"
	else
		echo "bench: the peer comparison needs /usr/bin/python3 with python3-simpy and python3-yaml" >&2
		: >"$work/failed"
	fi
} | tee "$tmp"
if [ -e "$work/failed" ]; then
	echo "bench: FAILED (see above); $out not written" >&2
	exit 1
fi
mv "$tmp" "$out" && echo "bench: written to $out"
