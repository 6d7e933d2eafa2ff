#!/bin/sh
# Runs every cmocka binary in $1, then every tests/cli/*.sh with LPSIM=$2.
# Exits non-zero if any of them fails (a sanitizer report aborts its binary).
bindir=$1
LPSIM=$2
export LPSIM
fail=0
n=0
for t in "$bindir"/test_*; do
	[ -x "$t" ] || continue
	n=$((n + 1))
	if ! out=$("$t" 2>&1); then
		printf '%s\n' "$out"
		echo "FAIL: $t"
		fail=1
	else
		printf '%s\n' "$out" | tail -n 1 | sed "s|^|$(basename "$t"): |"
	fi
done
for t in tests/cli/*.sh; do
	[ -f "$t" ] || continue
	n=$((n + 1))
	if ! sh "$t"; then
		echo "FAIL: $t (LPSIM=$LPSIM)"
		fail=1
	fi
done
if [ "$fail" -ne 0 ]; then
	echo "tests: FAILED ($bindir)"
	exit 1
fi
echo "tests: all $n suites passed ($bindir)"
