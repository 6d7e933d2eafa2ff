#!/bin/sh
# shellcheck disable=SC2015 # "A && ok || say": ok always succeeds
# schema.sh: the machine-readable outputs against the JSON Schemas shipped
# in plots/schemas/, with the small validator tests/cli/jsonschema.py; and
# `scan --json`'s header and remediation, and `scan --fail-on`. Run from
# the repository root with LPSIM set to the binary.
#   - summary.json of runs of both strategies, of one, of one replication
#     (nulls), of a blocked estate: valid
#   - scan --json of every shipped scenario (but the 100,000-host one) and
#     of the scan fixtures: valid
#   - documents broken on purpose (a key missing, a wrong type, a member
#     too many, a word outside the vocabulary): invalid, so the schemas and
#     the validator do reject
#   - scan --json's header (version, scenario, strategy, time from
#     SOURCE_DATE_EPOCH) and each cluster's remediation, the table's words
#   - scan --fail-on blocked|incompatible|none: exit 1 on a finding, 0 on
#     none, the output printed either way; 64 for a bad value
: "${LPSIM:=./lpsim}"
T=schema.sh
# shellcheck source=tests/cli/lib.inc
. "$(dirname "$0")/lib.inc"
V=tests/cli/jsonschema.py
SUM=plots/schemas/summary.schema.json
SCAN=plots/schemas/scan.schema.json

# valid SCHEMA FILE WHAT / invalid SCHEMA FILE WHAT
valid() {
	if python3 $V "$1" "$2" >"$tmp/v" 2>&1; then ok; else say "$3: not valid: $(head -c 500 "$tmp/v")"; fi
}
invalid() {
	python3 $V "$1" "$2" >"$tmp/v" 2>&1
	rc=$?
	if [ $rc -eq 1 ]; then ok; else say "$3: accepted (exit $rc) though broken: $(head -c 300 "$tmp/v")"; fi
}
# mutate IN OUT PYTHON-STATEMENT: OUT is IN with the statement applied to d.
mutate() {
	python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d,open(sys.argv[2],"w"))' "$1" "$2" "$3" || say "cannot mutate $1: $3"
}

for s in "$SUM" "$SCAN"; do
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$s" && ok || say "$s is not JSON"
done

# ---- summary.json -------------------------------------------------------------------------
status 0 "run both strategies" "$LPSIM" run tests/data/run/small.yaml -r 3 -q --no-plots -o "$tmp/both" &&
	valid $SUM "$tmp/both/summary.json" "summary.json, both strategies"
status 0 "run one replication of classic" "$LPSIM" run tests/data/run/small.yaml -r 1 --strategy classic \
	-q --no-plots -o "$tmp/one" && valid $SUM "$tmp/one/summary.json" "summary.json, one replication"
json "$tmp/one/summary.json" "one replication has nulls" 'd["strategies"]["classic"]["makespan_s"]["ci95_lo"] is None'
status 0 "run a blocked estate" "$LPSIM" run scenarios/tpm-enforce.yaml -r 1 -q --no-plots -o "$tmp/blk" &&
	valid $SUM "$tmp/blk/summary.json" "summary.json, blocked clusters"
valid $SUM tests/data/plots/run-small/summary.json "the plots fixture"

B=$tmp/both/summary.json
mutate "$B" "$tmp/m1.json" 'del d["strategies"]["live_patch"]["makespan_s"]'
invalid $SUM "$tmp/m1.json" "summary.json without makespan_s"
mutate "$B" "$tmp/m2.json" 'd["seed"] = "42"'
invalid $SUM "$tmp/m2.json" "summary.json with a string seed"
mutate "$B" "$tmp/m3.json" 'd["strategies"]["classic"]["stun_s"]["p90"] = 1'
invalid $SUM "$tmp/m3.json" "summary.json with a STAT member too many"
mutate "$B" "$tmp/m4.json" 'd["strategies"]["quick_patch"] = d["strategies"]["classic"]'
invalid $SUM "$tmp/m4.json" "summary.json with an unknown strategy"
mutate "$B" "$tmp/m5.json" 'd["strategies"]["classic"]["vms"]["incompatible"]["ft"] = -1'
invalid $SUM "$tmp/m5.json" "summary.json with a negative count"

# ---- scan --json --------------------------------------------------------------------------
for f in scenarios/*.yaml tests/data/scan/mixed.yaml tests/data/scan/large.yaml tests/data/scan/versions.yaml; do
	case $f in *fleet-100k*) continue ;; esac
	n=$(basename "$f" .yaml)
	for st in live_patch classic; do
		status 0 "scan --json $f --strategy $st" "$LPSIM" scan "$f" --json --strategy $st &&
			{ cp "$tmp/out" "$tmp/scan-$n-$st.json"; valid $SCAN "$tmp/scan-$n-$st.json" "scan --json $f ($st)"; }
	done
done
M=$tmp/scan-mixed-live_patch.json
mutate "$M" "$tmp/s1.json" 'del d["clusters"][0]["remediation"]'
invalid $SCAN "$tmp/s1.json" "scan without a cluster's remediation"
mutate "$M" "$tmp/s2.json" 'd["clusters"][0]["hosts"][0]["path"] = "blocked"'
invalid $SCAN "$tmp/s2.json" "scan with a path outside the vocabulary"
mutate "$M" "$tmp/s3.json" 'del d["lpsim"]'
invalid $SCAN "$tmp/s3.json" "scan without its header"
mutate "$M" "$tmp/s4.json" 'd["scanned_at"] = "yesterday"'
invalid $SCAN "$tmp/s4.json" "scan with a time that is not UTC ISO 8601"
# the validator refuses a keyword it does not check rather than skip it
printf '{"type": "object", "oneOf": []}' >"$tmp/odd.schema.json"
python3 $V "$tmp/odd.schema.json" "$M" >"$tmp/v" 2>&1
[ $? -eq 2 ] && grep -q "does not check" "$tmp/v" && ok || say "the validator took a keyword it does not check"

# the header and the remediation
SOURCE_DATE_EPOCH=86400 "$LPSIM" scan tests/data/scan/mixed.yaml --json --strategy classic >"$tmp/h.json" 2>"$tmp/err" &&
	ok || say "scan --json with SOURCE_DATE_EPOCH failed: $(cat "$tmp/err")"
ver=$("$LPSIM" --version | awk '{print $2}')
json "$tmp/h.json" "scan --json header" "d['lpsim'] == '$ver'" \
	'd["scenario"] == {"name": "scan-mixed", "file": "tests/data/scan/mixed.yaml"}' \
	'd["strategy"] == "classic"' 'd["scanned_at"] == "1970-01-02T00:00:00Z"' \
	'list(d)[:5] == ["lpsim", "scenario", "strategy", "scanned_at", "clusters"]'
"$LPSIM" scan tests/data/scan/mixed.yaml >"$tmp/table.txt"
python3 - "$M" "$tmp/table.txt" >"$tmp/py" 2>&1 <<'PY' && ok || say "remediation differs from the table: $(cat "$tmp/py")"
import json, sys
d = json.load(open(sys.argv[1]))
lines = [l.strip()[len("remediation: "):] for l in open(sys.argv[2]) if l.strip().startswith("remediation: ")]
got = [c["remediation"] for c in d["clusters"]]
if not lines or got != lines:
    print("json", got, "table", lines)
    sys.exit(1)
PY
SOURCE_DATE_EPOCH=soon "$LPSIM" scan tests/data/scan/mixed.yaml --json >"$tmp/h2.json" 2>/dev/null
json "$tmp/h2.json" "a bad SOURCE_DATE_EPOCH gives a null time" 'd["scanned_at"] is None'

# ---- scan --fail-on -----------------------------------------------------------------------
status 1 "--fail-on blocked, a blocked cluster" "$LPSIM" scan tests/data/scan/mixed.yaml --fail-on blocked &&
	{ grep -q "^totals:" "$tmp/out" && ok || say "--fail-on blocked printed no table"; } &&
	{ grep -q "fail-on blocked: 1 of 3 clusters blocked" "$tmp/err" && ok || say "--fail-on: message: $(cat "$tmp/err")"; }
status 1 "--fail-on incompatible, a blocked cluster" "$LPSIM" scan tests/data/scan/mixed.yaml --fail-on incompatible --json &&
	valid $SCAN "$tmp/out" "scan --json --fail-on output"
status 0 "--fail-on none" "$LPSIM" scan tests/data/scan/mixed.yaml --fail-on none
status 0 "--fail-on blocked, none blocked" "$LPSIM" scan scenarios/default.yaml --fail-on blocked
status 1 "--fail-on incompatible, FSR-incompatible VMs" "$LPSIM" scan scenarios/default.yaml --fail-on incompatible
status 0 "--fail-on incompatible, a clean estate" "$LPSIM" scan scenarios/distributions.yaml --fail-on incompatible
status 0 "--fail-on blocked under --strategy classic" "$LPSIM" scan tests/data/scan/mixed.yaml --strategy classic --fail-on blocked
status 64 "--fail-on a bad value" "$LPSIM" scan scenarios/default.yaml --fail-on warnings &&
	{ grep -q "fail-on wants blocked, incompatible or none (got 'warnings')" "$tmp/err" && ok || say "--fail-on bad: $(cat "$tmp/err")"; }
status 65 "--fail-on does not hide a bad scenario" "$LPSIM" scan tests/data/scan/bad-key.yaml --fail-on none

echo "$T: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
