#!/bin/sh
# make bench: kernel hold model at 10^3, 10^5 and 10^6 pending events.
# Prints the figures and writes them to $2.
LPSIM=$1
out=$2
tmp="$out.tmp.$$"
{
	echo "# lpsim bench, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -m), $(nproc) cores"
	echo "# $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')"
	echo "## kernel hold model (one core): pop the earliest event, reschedule at now + Exp(1)"
	for p in 1000 100000 1000000; do
		"$LPSIM" bench --pending $p --events 20000000 || exit 1
	done
} | tee "$tmp" && mv "$tmp" "$out" && echo "bench: written to $out"
