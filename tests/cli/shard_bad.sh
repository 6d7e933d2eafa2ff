#!/bin/sh
# shellcheck disable=SC2015 # "A && ok || say": ok always succeeds
# shard_bad.sh: `lpsim merge` refuses a damaged record of a run shard with
# 65 and the file:line, and never writes past its tables (the sanitizer
# build runs this too). Run from the repository root with LPSIM set.
#   - "r" beyond a long (18446744073709551615 was once read as -1), LONG_MAX
#     + 1, a negative one, and one past the header's replications
#   - "s" past the header's strategies
#   - a count that is no whole number of its type (-1 hosts, 1.5 hosts)
#   - numbers no JSON reader takes (nan, inf, 0x1p3; in run records and
#     sweep points) and durations or
#     samples that are not finite (1e999, null)
#   - header fields past their limits (10^12 shards or replications, 64
#     axes whose product wrapped to 0, points not the axes' product), and
#     replications whose results would not fit in memory (65, the limit named)
#   - files that are no shard or too large (/dev/zero, a 2 GB sparse file,
#     a header then zeros, a 17 GiB file, a 300 MB first line): refused
#     after one read or by their size; nothing written
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

# Numbers that are no JSON numbers, and durations or samples that are not
# finite (a hand-edited shard): refused, never summed into the results.
bad 'a per-VM downtime of nan' 's/"vm":\[[^],]*/"vm":[nan/' "$NOTREC"
bad 'a per-VM downtime of inf' 's/"vm":\[[^],]*/"vm":[inf/' "$NOTREC"
bad 'a per-VM downtime of 1e999' 's/"vm":\[[^],]*/"vm":[1e999/' "$NOTREC"
bad 'a per-VM downtime of null' 's/"vm":\[[^],]*/"vm":[null/' "$NOTREC"
bad 'a hexadecimal per-VM downtime' 's/"vm":\[[^],]*/"vm":[0x1p3/' "$NOTREC"
bad 'a makespan of -1e999' 's/"t":\[[^],]*/"t":[-1e999/' "$NOTREC"
bad 'a makespan of NaN' 's/"t":\[[^],]*/"t":[NaN/' "$NOTREC"
bad 'a stun of infinity' 's/"stun":\[[^],]*/"stun":[infinity/' "$NOTREC"

# hdr WHAT FILE WANT: merging the shard FILE (its header damaged) is
# refused with 65 and "FILE:1: WANT", nothing written.
hdr() {
	rm -rf "$tmp/bad"
	status 65 "$1" "$LPSIM" merge "$2" -o "$tmp/bad" -q || return
	grep -qxF "lpsim: $2:1: $3" "$tmp/err" && ok || { say "$1: stderr lacks '$2:1: $3'"; show "$tmp/err"; }
	[ -e "$tmp/bad" ] && say "$1: the refused merge wrote $tmp/bad" || ok
}
# hdrsed WHAT SED WANT: the run shard's header edited by SED, as hdr.
hdrsed() {
	rm -rf "$tmp/b"
	mkdir -p "$tmp/b"
	sed "1$2" "$tmp/sh/$F" >"$tmp/b/$F"
	cmp -s "$tmp/sh/$F" "$tmp/b/$F" && { say "$1: the edit '$2' changed nothing"; return; }
	hdr "$1" "$tmp/b/$F" "$3"
}
# Header fields past their limits (once: 10^12 shards ended in exit 70,
# 10^12 replications in a memory message).
hdrsed '10^12 shards' 's/"of":1,/"of":1000000000000,/' '"of" is 1000000000000, not 1 to 1000000 shards'
hdrsed '"of" as 1e12' 's/"of":1,/"of":1e12,/' 'not an lpsim shard header'
hdrsed '"of" of 0' 's/"of":1,/"of":0,/' '"of" is 0, not 1 to 1000000 shards'
hdrsed '"shard" past "of"' 's/"shard":1,/"shard":2,/' '"shard" is 2, not 1 to 1 ("of")'
hdrsed '10^12 replications' 's/"replications":2,/"replications":1000000000000,/' '"replications" is 1000000000000, not 1 to 1000000'
hdrsed 'a wall_s of 1e999' 's/"wall_s":[^}]*}/"wall_s":1e999}/' '"wall_s" is not a finite number of seconds >= 0'

# Replications whose per-VM results would not fit in memory (1,000,000 of
# fleet-100k's 2,000,000 VMs: about 32 TB): refused with the input-limit
# status 65 and the limit named, as run and sweep do (once 64, usage).
mkdir -p "$tmp/mem"
sed '1s/"replications":2,/"replications":1000000,/; 1s|"scenario":"[^"]*"|"scenario":"scenarios/fleet-100k.yaml"|' "$tmp/sh/$F" >"$tmp/mem/$F"
rm -rf "$tmp/bad"
status 65 "results past memory" "$LPSIM" merge "$tmp/mem" -o "$tmp/bad" -q &&
	{ grep -qF "lpsim: scenarios/fleet-100k.yaml: 1000000 replications of 2000000 VMs need about 32008.2 GB for the per-VM results, more than the limit of 75% of this machine's memory (" "$tmp/err" && ok || { say "results past memory: no message naming the limit"; show "$tmp/err"; }; }
[ -e "$tmp/bad" ] && say "results past memory: the refused merge wrote $tmp/bad" || ok

# A sweep shard with 64 axes of 2 values: their product wrapped to 0 and
# merge wrote a 0-point sweep.json with exit 0.
status 0 "sweep shard 1/1" "$LPSIM" sweep "$S" -o "$tmp/sw" -r 2 -j 1 --shard 1/1 -q
AX='{"path":"seed","values":["1","2"],"quoted":[0,0]}'
axes=$AX
i=1
while [ "$i" -lt 64 ]; do axes="$axes,$AX"; i=$((i + 1)); done
mkdir -p "$tmp/s64"
sed "1s/\"points\":[0-9]*,/\"points\":0,/; 1s/\"axes\":.*/\"axes\":[$axes]}/" "$tmp/sw/$F" >"$tmp/s64/$F"
hdr '64 axes of 2 values' "$tmp/s64/$F" '"axes" are more than 16 or their points more than 100000'
mkdir -p "$tmp/s17"
axes=$AX
i=1
while [ "$i" -lt 17 ]; do axes="$axes,$AX"; i=$((i + 1)); done
sed "1s/\"points\":[0-9]*,/\"points\":131072,/; 1s/\"axes\":.*/\"axes\":[$axes]}/" "$tmp/sw/$F" >"$tmp/s17/$F"
hdr '17 axes' "$tmp/s17/$F" '"axes" are more than 16 or their points more than 100000'
vals=$(awk 'BEGIN { for (i = 1; i <= 400; i++) printf "%s\"%d\"", (i > 1 ? "," : ""), i }')
qs=$(awk 'BEGIN { for (i = 1; i <= 400; i++) printf "%s0", (i > 1 ? "," : "") }')
AX="{\"path\":\"seed\",\"values\":[$vals],\"quoted\":[$qs]}"
mkdir -p "$tmp/s400"
sed "1s/\"points\":[0-9]*,/\"points\":160000,/; 1s/\"axes\":.*/\"axes\":[$AX,$AX]}/" "$tmp/sw/$F" >"$tmp/s400/$F"
hdr '2 axes of 400 values (160000 points)' "$tmp/s400/$F" '"axes" are more than 16 or their points more than 100000'
# A sweep point whose numbers are no JSON numbers.
mkdir -p "$tmp/snan"
sed '2s/"wall_s":[^,]*,/"wall_s":nan,/' "$tmp/sw/$F" >"$tmp/snan/$F"
cmp -s "$tmp/sw/$F" "$tmp/snan/$F" && say "sweep point nan: the edit changed nothing"
rm -rf "$tmp/bad"
status 65 "a sweep point's wall_s of nan" "$LPSIM" merge "$tmp/snan" -o "$tmp/bad" -q &&
	{ grep -qxF "lpsim: $tmp/snan/$F:2: not a sweep point of an lpsim shard" "$tmp/err" && ok || { say "sweep point nan: no message"; show "$tmp/err"; }; }
sed '2s/"v":\[\([0-9]*\),[^,]*,/"v":[\1,inf,/' "$tmp/sw/$F" >"$tmp/snan/$F"
cmp -s "$tmp/sw/$F" "$tmp/snan/$F" && say "sweep point inf: the edit changed nothing"
status 65 "a sweep point's mean of inf" "$LPSIM" merge "$tmp/snan" -o "$tmp/bad" -q &&
	{ grep -qxF "lpsim: $tmp/snan/$F:2: not a sweep point of an lpsim shard" "$tmp/err" && ok || { say "sweep point inf: no message"; show "$tmp/err"; }; }
mkdir -p "$tmp/spts"
sed '1s/"points":2,/"points":3,/' "$tmp/sw/$F" >"$tmp/spts/$F"
hdr '"points" not the axes product' "$tmp/spts/$F" '"points" is 3, but the axes make 2'

# Files that are no shards, or too large: refused after one read (and
# before their size in memory: /dev/zero once grew until memory ran out, a
# 2 GB sparse file was read whole before its header was looked at).
# big WHAT FILE WANT: refused with 65 and "lpsim: FILE: WANT".
big() {
	rm -rf "$tmp/bad"
	status 65 "$1" "$LPSIM" merge "$2" -o "$tmp/bad" -q || return
	grep -qxF "lpsim: $2: $3" "$tmp/err" && ok || { say "$1: stderr lacks '$2: $3'"; show "$tmp/err"; }
	[ -e "$tmp/bad" ] && say "$1: the refused merge wrote $tmp/bad" || ok
}
NOSHARD="not an lpsim shard (its first line is no shard header)"
[ -r /dev/zero ] && big "/dev/zero" /dev/zero "$NOSHARD"
truncate -s 2G "$tmp/sparse.jsonl" 2>/dev/null && big "a 2 GB sparse file" "$tmp/sparse.jsonl" "$NOSHARD"
rm -f "$tmp/sparse.jsonl"
# A valid header, then zeros: refused at the first NUL, not after 2 GB.
mkdir -p "$tmp/z"
head -n 1 "$tmp/sh/$F" >"$tmp/z/$F"
truncate -s 2G "$tmp/z/$F" 2>/dev/null && big "a header, then 2 GB of zeros" "$tmp/z/$F" "a NUL byte after its header: not an lpsim shard"
# A valid header on a file past the size limit: refused by its size.
truncate -s 17G "$tmp/z/$F" 2>/dev/null && big "a 17 GiB shard" "$tmp/z/$F" "more than the limit of 16 GiB for a shard file"
rm -rf "$tmp/z"
# A first line without an end, past the header limit.
mkdir -p "$tmp/long"
{ printf '{"lpsim_shard":1,"kind":"sweep","scenario":"'; head -c 300000000 /dev/zero | tr '\0' 'x'; } >"$tmp/long/$F"
big "a 300 MB first line" "$tmp/long/$F" "a first line longer than the limit of 256 MiB: not an lpsim shard header"
rm -rf "$tmp/long"

echo "shard_bad.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
