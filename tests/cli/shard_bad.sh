#!/bin/sh
# shellcheck disable=SC2015 # "A && ok || say": ok always succeeds
# shard_bad.sh: `lpsim merge` refuses a damaged record of a run shard with
# 65 and the file:line, and never writes past its tables (the sanitizer
# build runs this too). Run from the repository root with LPSIM set.
#   - "r" beyond a long (18446744073709551615 was once read as -1), LONG_MAX
#     + 1, a negative one, and one past the header's replications
#   - "s" past the header's strategies
#   - a count that is no whole number of its type (-1 hosts, 1.5 hosts)
#   - a header whose replications could not be held in memory: 64 with the
#     memory message, as `run` says it; nothing written
: "${LPSIM:=./lpsim}"
case $LPSIM in /*) ;; *) LPSIM=$(pwd)/$LPSIM ;; esac
S=tests/data/sweep/small.yaml
T=shard_bad.sh
# shellcheck source=tests/cli/lib.inc
. "$(dirname "$0")/lib.inc"
F=shard-1-of-1.jsonl

status 0 "run shard 1/1" "$LPSIM" run "$S" -o "$tmp/sh" -r 2 -j 1 --shard 1/1 -q
status 0 "merge the shard as written" "$LPSIM" merge "$tmp/sh" -o "$tmp/good" -q

# bad WHAT SED WANT: the shard edited by SED (on line 3: strategy 0,
# replication 1) is refused with 65 and "$F:3: WANT".
bad() {
	rm -rf "$tmp/b" "$tmp/bad"
	mkdir -p "$tmp/b"
	sed "3$2" "$tmp/sh/$F" >"$tmp/b/$F"
	if cmp -s "$tmp/sh/$F" "$tmp/b/$F"; then
		say "$1: the edit '$2' changed nothing"
		return
	fi
	status 65 "$1" "$LPSIM" merge "$tmp/b" -o "$tmp/bad" -q || return
	grep -qF "$F:3: $3" "$tmp/err" && ok || { say "$1: stderr lacks '$F:3: $3'"; show "$tmp/err"; }
	[ -e "$tmp/bad" ] && say "$1: the refused merge wrote $tmp/bad" || ok
}
NOTREC="not a replication record"
RANGE="a replication out of range"
bad '"r" of 2^64 - 1' 's/"r":1,/"r":18446744073709551615,/' "$NOTREC"
bad '"r" of LONG_MAX + 1' 's/"r":1,/"r":9223372036854775808,/' "$NOTREC"
bad '"r" of 2^64' 's/"r":1,/"r":18446744073709551616,/' "$NOTREC"
bad '"r" of -1' 's/"r":1,/"r":-1,/' "$NOTREC"
bad '"r" past the replications' 's/"r":1,/"r":2,/' "$RANGE"
bad '"r" of LONG_MAX' 's/"r":1,/"r":9223372036854775807,/' "$RANGE"
bad '"s" past the strategies' 's/"s":0,/"s":2,/' "$RANGE"
bad '"s" of 2^64 - 1' 's/"s":0,/"s":18446744073709551615,/' "$RANGE"
# t[5] is hosts_live, a uint32_t
T5='\("t":\[[^],]*,[^],]*,[^],]*,[^],]*,[^],]*,\)[^],]*'
bad 'a negative host count' "s/$T5/\\1-1/" "$NOTREC"
bad 'a host count of 1.5' "s/$T5/\\11.5/" "$NOTREC"
bad 'a host count of 2^32' "s/$T5/\\14294967296/" "$NOTREC"

# Replications no machine could hold: refused before any record is read.
rm -rf "$tmp/b" "$tmp/bad"
mkdir -p "$tmp/b"
sed '1s/"replications":2,/"replications":1000000000000,/' "$tmp/sh/$F" >"$tmp/b/$F"
status 64 "10^12 replications" "$LPSIM" merge "$tmp/b" -o "$tmp/bad" -q &&
	{ grep -qF "1000000000000 replications of 30 VMs need about" "$tmp/err" && ok ||
		{ say "10^12 replications: no memory message"; show "$tmp/err"; }; }
[ -e "$tmp/bad" ] && say "10^12 replications: the refused merge wrote $tmp/bad" || ok

echo "shard_bad.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
