#!/bin/sh
# Command-line usage: help and version succeed, bad usage exits 64 with a message.
: "${LPSIM:=./lpsim}"
fail=0
check() { # expected-status description command...
	want=$1; what=$2; shift 2
	err=$("$@" 2>&1 >/dev/null); got=$?
	if [ "$got" -ne "$want" ]; then
		echo "usage.sh: $what: exit $got, want $want"; fail=1
	elif [ "$want" -ne 0 ] && ! printf '%s' "$err" | grep -q '^lpsim: \|^usage: '; then
		echo "usage.sh: $what: no message on stderr (got '$err')"; fail=1
	fi
}
check 64 "no command" "$LPSIM"
check 64 "unknown command" "$LPSIM" frobnicate
check 64 "unknown top-level option" "$LPSIM" --frob
check 64 "bench unknown option" "$LPSIM" bench --frob
check 64 "bench bad count" "$LPSIM" bench --pending abc
check 64 "bench zero count" "$LPSIM" bench --events 0
check 64 "bench negative count" "$LPSIM" bench --events -5
check 64 "bench stray argument" "$LPSIM" bench extra
check 64 "validate without files" "$LPSIM" validate
check 0 "help" "$LPSIM" --help
check 0 "version" "$LPSIM" --version
check 0 "bench help" "$LPSIM" bench --help
check 0 "validate help" "$LPSIM" validate --help
"$LPSIM" --version | grep -q '^lpsim [0-9]' || { echo "usage.sh: --version prints no version"; fail=1; }
"$LPSIM" --help | grep -q 'validate' || { echo "usage.sh: --help does not list validate"; fail=1; }
# A tiny hold-model run through the real kernel must report its events.
"$LPSIM" bench --pending 100 --events 1000 | grep -q 'events 1000 ' || { echo "usage.sh: bench did not fire 1000 events"; fail=1; }
# A write error on standard output is an error (73 with a message), not a success.
full() { # description command...
	what=$1; shift
	[ -w /dev/full ] || return 0
	err=$("$@" 2>&1 >/dev/full); got=$?
	if [ "$got" -ne 73 ]; then
		echo "usage.sh: $what > /dev/full: exit $got, want 73"; fail=1
	elif ! printf '%s' "$err" | grep -q '^lpsim: .*standard output: No space left on device'; then
		echo "usage.sh: $what > /dev/full: no message naming standard output (got '$err')"; fail=1
	fi
}
full "--help" "$LPSIM" --help
full "--version" "$LPSIM" --version
full "validate --help" "$LPSIM" validate --help
full "validate" "$LPSIM" validate tests/data/run/small.yaml
full "bench" "$LPSIM" bench --pending 100 --events 1000
full "scan" "$LPSIM" scan tests/data/run/small.yaml
[ "$fail" -eq 0 ] && echo "usage.sh: ok"
exit $fail
