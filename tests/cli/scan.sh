#!/bin/sh
# lpsim scan: the table and the JSON of tests/data/scan fixtures, and exit
# statuses (65 bad scenario, 66 missing file, 64 bad usage). Run from the
# repository root with LPSIM set to the binary.
: "${LPSIM:=./lpsim}"
D=tests/data/scan
T=scan.sh
# shellcheck source=tests/cli/check.inc
. "$(dirname "$0")/check.inc"

json_ok() { # FILE PYTHON-EXPR...: FILE is JSON and every expression on it (d) holds
	f=$1; shift
	python3 - "$f" "$@" <<'EOF' || say "$f: JSON check failed"
import json, sys
with open(sys.argv[1], encoding="utf-8") as fh:
    d = json.load(fh)
for expr in sys.argv[2:]:
    if not eval(expr, {"d": d}):
        print("scan.sh: JSON check failed:", expr)
        sys.exit(1)
EOF
}

# ---- the table --------------------------------------------------------------
status 0 "scan mixed" "$LPSIM" scan "$D/mixed.yaml"
cp "$tmp/out" "$tmp/mixed.txt"
t=$tmp/mixed.txt
has "$t" "scan of scan-mixed ($D/mixed.yaml), strategy live_patch"
has "$t" "vCenter 9.1.0; patch ESXi-8.0U3b: live-patchable, components vmx; temporary reservation 4 GB per host"
has "$t" "cluster prod: mode enforce, not blocked; 3 hosts, 3 eligible; 3 live; reasons: none"
has "$t" "cluster edge: mode auto, not blocked; 4 hosts, 2 eligible; 2 live, 2 classic; reasons: host_too_old (1 host), tpm (1 host), insufficient_memory (1 host)"
has "$t" "cluster lab: mode enforce, BLOCKED (no host is remediated); 3 hosts, 2 eligible; 3 blocked; reasons: dpu (1 host)"
hasre "$t" '^  HOST +ELIGIBLE +PATH +FSR-INCOMPATIBLE +REASONS$'
hasre "$t" '^  esx-03 +no +classic +0 +tpm$'
hasre "$t" '^  esx-04 +no +classic +0 +host_too_old, insufficient_memory \(2 GB free, needs 4\)$'
hasre "$t" '^  esx-03 +no +blocked +[0-9]+ +dpu$'
hasre "$t" '^  esx-01 +yes +blocked +[0-9]+ +-$'
has "$t" "FSR-incompatible VMs: 8 of 15 (they stay on the old VM runtime and keep their"
has "$t" "  ft (1): prod/pay-ft"
has "$t" '  directpath (2): prod/odd\name café, edge/gpu-01'
has "$t" "  vsphere_pod (3): lab/pod-01, lab/pod-02, lab/pod-03"
has "$t" "  shared_disk (3): prod/sql-01, prod/sql-02, prod/pay-ft"
has "$t" "totals: 10 hosts, 7 eligible; paths: 5 live, 2 classic, 3 blocked; 1 of 3 clusters blocked; 15 VMs, 8 FSR-incompatible"
# The FSR-incompatible counts per host add up to the total.
n=$(awk '$1 ~ /^esx-/ && NF >= 4 { s += $4 } END { print s }' "$t")
[ "$n" = 8 ] || say "per-host FSR-incompatible counts add up to $n, want 8"

status 0 "scan --strategy classic" "$LPSIM" scan --strategy classic "$D/mixed.yaml"
t=$tmp/out
has "$t" "scan of scan-mixed ($D/mixed.yaml), strategy classic (live_patch_mode disable everywhere)"
has "$t" "cluster lab: mode disable, not blocked; 3 hosts, 0 eligible; 3 classic; reasons: dpu (1 host), live_patch_disabled (3 hosts)"
has "$t" "totals: 10 hosts, 0 eligible; paths: 0 live, 10 classic, 0 blocked; 0 of 3 clusters blocked; 15 VMs, 8 FSR-incompatible"

# ---- eligibility by version and build (versions.yaml, derived in its comment) ----
status 0 "scan versions" "$LPSIM" scan "$D/versions.yaml"
t=$tmp/out
has "$t" "vCenter 9.1.0; patch ESXi-9.0.0.0100: live-patchable, components vmkernel; temporary reservation 0 GB per host; base build 24755229"
has "$t" "cluster k: mode auto, not blocked; 5 hosts, 2 eligible; 2 live, 3 classic; reasons: host_too_old (1 host), tpm (1 host), base_build (1 host)"
hasre "$t" '^  esx-01 +yes +live +0 +-$'
hasre "$t" '^  esx-02 +no +classic +0 +host_too_old$'
hasre "$t" '^  esx-03 +no +classic +0 +base_build$'
hasre "$t" '^  esx-04 +no +classic +0 +tpm$'
hasre "$t" '^  esx-05 +yes +live +0 +-$'
# Every reason found is explained in one line, and only those.
hasre "$t" '^  host_too_old +the host.s ESXi is older than live patch needs: 8.0 U3 for vmx, 9.0 for vmkernel or daemons$'
hasre "$t" '^  tpm +the host has a TPM and runs ESXi older than 9.1'
hasre "$t" '^  base_build +the host runs another ESXi build than the patch.s base_build'
n=$(sed -n '/^reasons:$/,/^$/p' "$t" | grep -c '^  [a-z_]* ')
[ "$n" = 3 ] || say "versions.yaml: $n reason lines, want 3"
status 0 "scan mixed legend" "$LPSIM" scan "$D/mixed.yaml"
hasre "$tmp/out" '^  dpu +the host has a DPU'
hasre "$tmp/out" '^  insufficient_memory +free memory after initial placement is less than'

# ---- large estates: one line per cluster entry --------------------------------
status 0 "scan large" "$LPSIM" scan "$D/large.yaml"
t=$tmp/out
hasre "$t" "^244 hosts in 31 clusters: one line per cluster"
hasre "$t" "lpsim scan --json"
hasre "$t" '^  cl-001\.\.cl-030 +30 +enforce +ok +8 +8 +8 +0 +0 +2 +none$'
hasre "$t" '^  tpm-cl +1 +auto +ok +4 +3 +3 +1 +0 +0 +tpm \(1 host\)$'
has "$t" "    ... and 10 more ('lpsim scan --json' lists them all)"
has "$t" "totals: 244 hosts, 243 eligible; paths: 243 live, 1 classic, 0 blocked; 0 of 31 clusters blocked; 1261 VMs, 60 FSR-incompatible"
grep -q '^  esx-' "$t" && say "large.yaml: the table lists hosts one by one"

# ---- JSON -----------------------------------------------------------------------
status 0 "scan --json" "$LPSIM" scan "$D/mixed.yaml" --json
cp "$tmp/out" "$tmp/mixed.json"
python3 -c 'import json,sys; json.load(sys.stdin)' <"$tmp/mixed.json" || say "--json output does not parse"
json_ok "$tmp/mixed.json" \
	'd["totals"] == {"hosts": 10, "eligible": 7, "vms": 15, "incompatible": {"ft": 1, "directpath": 2, "vsphere_pod": 3, "shared_disk": 3}}' \
	'[c["name"] for c in d["clusters"]] == ["prod", "edge", "lab"]' \
	'[c["mode"] for c in d["clusters"]] == ["enforce", "auto", "enforce"]' \
	'[c["blocked"] for c in d["clusters"]] == [False, False, True]' \
	'[h["path"] for h in d["clusters"][1]["hosts"]] == ["live", "live", "classic", "classic"]' \
	'd["clusters"][1]["hosts"][3]["reasons"] == ["host_too_old", "insufficient_memory"]' \
	'all(h["path"] == "none" for h in d["clusters"][2]["hosts"])' \
	'd["clusters"][2]["hosts"][2] == {"name": "esx-03", "eligible": False, "reasons": ["dpu"], "path": "none", "fsr_incompatible": [{"vm": "pod-03", "reasons": ["vsphere_pod"]}]}' \
	'sum(len(h["fsr_incompatible"]) for c in d["clusters"] for h in c["hosts"]) == 8' \
	'{"vm": "pay-ft", "reasons": ["ft", "shared_disk"]} in [v for h in d["clusters"][0]["hosts"] for v in h["fsr_incompatible"]]' \
	'set(d) == {"lpsim", "scenario", "strategy", "scanned_at", "clusters", "totals"} and all(set(c) == {"name", "mode", "blocked", "remediation", "hosts"} for c in d["clusters"]) and all(set(h) == {"name", "eligible", "reasons", "path", "fsr_incompatible"} for c in d["clusters"] for h in c["hosts"])'
# A name with a backslash and UTF-8 is escaped, and survives the round trip.
grep -qF '{"vm": "odd\\name café", "reasons": ["directpath"]}' "$tmp/mixed.json" ||
	say "--json: the name with a backslash is not escaped as expected"
json_ok "$tmp/mixed.json" \
	'"odd" + chr(92) + "name caf" + chr(233) in [v["vm"] for h in d["clusters"][0]["hosts"] for v in h["fsr_incompatible"]]'
# the same but for the time of the scan
"$LPSIM" scan --json "$D/mixed.yaml" | sed 's/"scanned_at": "[^"]*"//' >"$tmp/mixed2.json"
sed 's/"scanned_at": "[^"]*"//' "$tmp/mixed.json" | cmp -s - "$tmp/mixed2.json" || say "--json output differs between two runs"

status 0 "scan --json --strategy classic" "$LPSIM" scan --json --strategy=classic "$D/mixed.yaml"
json_ok "$tmp/out" \
	'd["totals"]["eligible"] == 0' \
	'all(c["mode"] == "disable" and not c["blocked"] for c in d["clusters"])' \
	'all(h["path"] == "classic" and "live_patch_disabled" in h["reasons"] for c in d["clusters"] for h in c["hosts"])'

status 0 "scan large --json" "$LPSIM" scan --json "$D/large.yaml"
json_ok "$tmp/out" \
	'd["totals"] == {"hosts": 244, "eligible": 243, "vms": 1261, "incompatible": {"ft": 0, "directpath": 60, "vsphere_pod": 0, "shared_disk": 0}}' \
	'len(d["clusters"]) == 31 and d["clusters"][29]["name"] == "cl-030"'

# ---- errors ---------------------------------------------------------------------
status 65 "bad scenario" "$LPSIM" scan "$D/bad-key.yaml"
grep -q "^$D/bad-key.yaml:7:[0-9]*: error: .*frobnicate" "$tmp/err" || { say "bad scenario: no positioned error"; sed 's/^/    | /' "$tmp/err"; }
[ -s "$tmp/out" ] && say "bad scenario: something on stdout"
status 65 "placement failure" "$LPSIM" scan "$D/no-room.yaml"
grep -q "^$D/no-room.yaml:[0-9]*:[0-9]*: error: .*huge" "$tmp/err" || { say "placement failure: no error naming the VM"; sed 's/^/    | /' "$tmp/err"; }
status 66 "missing file" "$LPSIM" scan "$D/does-not-exist.yaml"
grep -q "^lpsim: $D/does-not-exist.yaml: " "$tmp/err" || say "missing file: no 'lpsim: FILE: reason' message"
status 64 "unknown option" "$LPSIM" scan --frob "$D/mixed.yaml"
status 64 "unknown short option" "$LPSIM" scan -x "$D/mixed.yaml"
status 64 "value for --json" "$LPSIM" scan --json=yes "$D/mixed.yaml"
status 64 "bad strategy" "$LPSIM" scan --strategy both "$D/mixed.yaml"
status 64 "strategy without value" "$LPSIM" scan "$D/mixed.yaml" --strategy
status 64 "no scenario" "$LPSIM" scan
status 64 "two scenarios" "$LPSIM" scan "$D/mixed.yaml" "$D/large.yaml"
status 0 "help" "$LPSIM" scan --help
grep -q '^usage: lpsim scan' "$tmp/out" || say "--help prints no usage on stdout"
# --help explains every reason in one line.
for r in vcenter_too_old host_too_old tpm base_build dpu drs_not_fully_automated \
	patch_not_live_patchable insufficient_memory live_patch_disabled; do
	hasre "$tmp/out" "^  $r +[A-Za-z]"
done
"$LPSIM" --help | grep -q '^  scan ' || say "lpsim --help does not list scan"

[ "$fail" -eq 0 ] && echo "scan.sh: ok"
exit $fail
