#!/bin/sh
# validate warns where a scenario exceeds vSphere 8's configuration
# maximums (issue 19): hosts per cluster 96, VMs per host 1024 (at initial
# placement), hosts per vCenter 2500; a warning, not an error (exit 0),
# saying which; at the maximums, no warning. In text (stderr) and --json.
: "${LPSIM:=./lpsim}"
T=configmax.sh
. tests/cli/lib.inc
D=tests/data/configmax
SEE="(see Configuration maximums in FORMAT.md)"

if status 0 "over" "$LPSIM" validate $D/over.yaml; then
	cat >"$tmp/want" <<EOW
$D/over.yaml: warning: cluster 'big' has 97 hosts, more than vSphere 8's maximum of 96 hosts per cluster $SEE
$D/over.yaml: warning: host 'dense-1' of cluster 'dense' starts with 1050 VMs, more than vSphere 8's maximum of 1024 VMs per host $SEE
$D/over.yaml: warning: host 'dense-2' of cluster 'dense' starts with 1050 VMs, more than vSphere 8's maximum of 1024 VMs per host $SEE
EOW
	cmp -s "$tmp/err" "$tmp/want" && ok || { say "over: warnings differ"; diff "$tmp/want" "$tmp/err"; }
	grep -q "^$D/over.yaml: ok" "$tmp/out" && ok || say "over: not ok on stdout"
fi
if status 0 "at the maximums" "$LPSIM" validate $D/at.yaml; then
	[ -s "$tmp/err" ] && { say "at the maximums: a warning"; show "$tmp/err"; } || ok
fi
if status 0 "over --json" "$LPSIM" validate --json $D/over.yaml $D/at.yaml scenarios/fleet-100k.yaml; then
	cp "$tmp/out" "$tmp/j"
	python3 tests/cli/jsonschema.py plots/schemas/validate.schema.json "$tmp/j" >"$tmp/v" 2>&1 && ok || say "not valid: $(cat "$tmp/v")"
	json "$tmp/j" "over --json" \
		'[(w["limit"], w["value"], w["where"]) for w in d["files"][0]["warnings"]] == [("hosts_per_cluster", 97, "cluster '"'big'"'"), ("vms_per_host", 1050, "host '"'dense-1'"' of cluster '"'dense'"'"), ("vms_per_host", 1050, "host '"'dense-2'"' of cluster '"'dense'"'")]' \
		'd["files"][1]["warnings"] == [] and d["status"] == 0' \
		'[(w["limit"], w["maximum"], w["value"]) for w in d["files"][2]["warnings"]] == [("hosts_per_vcenter", 2500, 100000)]'
fi
echo "$T: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
