#!/bin/sh
# Every shipped scenario validates, starts with a comment saying what it
# shows, and (but for the two big ones) runs: two replications of each
# strategy, under whatever binary LPSIM is (the ASan build checks the
# simulation's invariants after every event).
: "${LPSIM:?set LPSIM to the lpsim binary}"
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
for f in scenarios/*.yaml; do
	if ! out=$("$LPSIM" validate "$f" 2>&1); then
		echo "shipped.sh: $f does not validate:"; echo "$out"; fail=1
	fi
	head -n 1 "$f" | grep -q '^#' || { echo "shipped.sh: $f does not start with a comment"; fail=1; }
	case $f in *fleet-100k*|*config-max*) continue ;; esac
	if ! "$LPSIM" run "$f" -r 2 -j 2 -q --no-plots -o "$tmp/out" 2>"$tmp/err"; then
		echo "shipped.sh: run $f failed:"; cat "$tmp/err"; fail=1
	fi
done
[ "$fail" -eq 0 ] && echo "shipped.sh: every shipped scenario validates and runs"
exit $fail
