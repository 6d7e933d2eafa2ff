#!/bin/sh
# bad_scenarios.sh: `lpsim validate` on the bad-input corpus and a few good files.
# Run from the repository root with LPSIM set to the lpsim binary.
#   - each tests/data/bad/NAME.yaml: exit 65, nothing on stdout, stderr exactly NAME.err
#   - each tests/data/good/*.yaml: exit 0, "FILE: ok — ..." on stdout, nothing on stderr
#   - a missing file and a directory: exit 66, "lpsim: FILE: <strerror>"
#   - a file over the size limit (sparse, never read): exit 65
#   - usage: --help exits 0, an unknown option or no file exits 64; 66 wins over 65
# Prints one summary line; exits 1 on any mismatch.
: "${LPSIM:?set LPSIM to the lpsim binary}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "bad_scenarios: FAIL: $*"
}

# expect_run WHAT STATUS CMD...: runs CMD, checks its exit status.
expect_status() {
	what=$1
	want=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, expected $want"; cat "$tmp/err"; fi
}

for f in tests/data/bad/*.yaml; do
	want=${f%.yaml}.err
	"$LPSIM" validate "$f" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" -ne 65 ]; then
		bad "$f: exit $st, expected 65"
		continue
	fi
	if [ ! -f "$want" ]; then
		bad "$f: no $want"
		continue
	fi
	if ! cmp -s "$tmp/err" "$want"; then
		bad "$f: stderr differs from $want"
		diff "$want" "$tmp/err" | head -n 20
		continue
	fi
	if [ -s "$tmp/out" ]; then
		bad "$f: wrote to stdout"
		continue
	fi
	ok
done

for f in tests/data/good/*.yaml; do
	"$LPSIM" validate "$f" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" -ne 0 ] || [ -s "$tmp/err" ] || ! grep -q "^$f: ok — [0-9]* clusters\{0,1\}, [0-9]* hosts\{0,1\}, [0-9]* VMs\{0,1\}\$" "$tmp/out"; then
		bad "$f: expected 'ok' (exit $st)"
		cat "$tmp/err"
		continue
	fi
	ok
done

# Unreadable inputs: 66 and the system's message.
expect_status "missing file" 66 "$LPSIM" validate "$tmp/nope.yaml"
if [ "$(cat "$tmp/err")" = "lpsim: $tmp/nope.yaml: No such file or directory" ]; then ok; else bad "missing file message: $(cat "$tmp/err")"; fi
expect_status "directory" 66 "$LPSIM" validate "$tmp"
if [ "$(cat "$tmp/err")" = "lpsim: $tmp: Is a directory" ]; then ok; else bad "directory message: $(cat "$tmp/err")"; fi

# Over the size limit: refused from its size alone (a sparse file: nothing is read).
dd if=/dev/null of="$tmp/big.yaml" bs=1048576 seek=65 2>/dev/null
expect_status "file over 64 MiB" 65 "$LPSIM" validate "$tmp/big.yaml"
if [ "$(cat "$tmp/err")" = "$tmp/big.yaml: error: the file is 68157440 bytes, more than the limit of 67108864 (64 MiB)" ]; then ok; else bad "big file message: $(cat "$tmp/err")"; fi

# Several files: every one is checked, the worst status wins (66 over 65).
expect_status "good + bad" 65 "$LPSIM" validate tests/data/good/minimal.yaml tests/data/bad/empty.yaml
if grep -q "^tests/data/good/minimal.yaml: ok" "$tmp/out"; then ok; else bad "good file not reported with a bad one"; fi
expect_status "bad + missing + good" 66 "$LPSIM" validate tests/data/bad/empty.yaml "$tmp/nope.yaml" tests/data/good/minimal.yaml

# Unanchored defaults: minimal.yaml writes no hardware (20 of the 23 figures
# are defaults no public source anchors); every-key.yaml calibrates them all.
expect_status "unanchored count" 0 "$LPSIM" validate tests/data/good/minimal.yaml tests/data/good/every-key.yaml
if grep -qx "tests/data/good/minimal.yaml: 20 of 23 hardware figures are unanchored defaults (no public source: assumptions, calibrate them)" "$tmp/out" &&
	grep -qx "tests/data/good/every-key.yaml: 0 of 23 hardware figures are unanchored defaults (no public source: assumptions, calibrate them)" "$tmp/out"; then ok; else bad "unanchored count: $(cat "$tmp/out")"; fi
expect_status "unanchored --verbose" 0 "$LPSIM" validate --verbose tests/data/good/minimal.yaml
if [ "$(grep -c '^  [a-z_.]*: ' "$tmp/out")" = 20 ] && grep -qx "  vmotion.max_rounds: 30" "$tmp/out" &&
	! grep -q "^  vmotion.switchover_target" "$tmp/out"; then ok; else bad "validate --verbose: $(cat "$tmp/out")"; fi

# Usage.
expect_status "--help" 0 "$LPSIM" validate --help
if grep -q "^usage: lpsim validate" "$tmp/out"; then ok; else bad "--help prints no usage on stdout"; fi
expect_status "unknown option" 64 "$LPSIM" validate --frobnicate tests/data/good/minimal.yaml
expect_status "no file" 64 "$LPSIM" validate

echo "bad_scenarios: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
