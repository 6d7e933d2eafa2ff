#!/bin/sh
# plan --json (issue 19): one document, valid against
# plots/schemas/plan.schema.json, that says what the table says: the same
# values in the same order, the same whole counts and fits, and the same
# answer, for a plan where a value fits and one where none can.
: "${LPSIM:=./lpsim}"
T=plan_json.sh
. tests/cli/lib.inc
V=tests/cli/jsonschema.py
SCH=plots/schemas/plan.schema.json
MH=vcenter.remediation.parallel.max_hosts

# compare WHAT ARGS...: the text and the JSON of the same plan agree.
compare() {
	what=$1; shift
	status 0 "$what (text)" "$LPSIM" plan "$@" -q && cp "$tmp/out" "$tmp/text" || return
	status 0 "$what (json)" "$LPSIM" plan "$@" -q --json || return
	cp "$tmp/out" "$tmp/j"
	if python3 $V $SCH "$tmp/j" >"$tmp/v" 2>&1; then ok; else say "$what: not valid: $(head -c 500 "$tmp/v")"; fi
	python3 - "$tmp/j" "$tmp/text" >"$tmp/py" 2>&1 <<'PY' && ok || say "$what: $(cat "$tmp/py")"
import json, re, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read().split("\n")
assert text[0] == "plan: " + d["question"], text[0]
assert text[1] == "bound: " + d["bound"], text[1]
strategies = [s["strategy"] for s in d["strategies"]]
for s in d["strategies"]:
    i = text.index(s["strategy"])
    rows = text[i + 2:i + 2 + len(s["values"])]
    for row, v in zip(rows, s["values"]):
        cells = row.split()
        assert cells[0] == v["value"], (row, v)
        assert "%d/%d" % (v["whole"], v["replications"]) in cells, (row, v)
        assert ("yes" if v["fits"] else "no") in cells, (row, v)
        assert (v["bound_s"] is None and v["never"]) == ("never" in cells), (row, v)
    ans = text[i + 2 + len(s["values"])]
    assert ans == "answer: " + s["answer"]["text"], (ans, s["answer"])
    fits = [v["value"] for v in s["values"] if v["fits"]]
    assert s["answer"]["value"] == (fits[0] if fits else None), s["answer"]
PY
}
compare "sweep.yaml 45m" scenarios/sweep.yaml --window 45m -r 59 -j 2
json "$tmp/j" "sweep.yaml 45m" 'd["window_s"] == 2700 and d["axis"] == "'$MH'" and d["bound_rank"] == 59' \
	'[v["value"] for v in d["strategies"][0]["values"]] == ["1", "2", "4", "8"]' \
	'd["strategies"][0]["values"][0]["paired_difference_s"] is None'
compare "sweep.yaml 30d live_patch" scenarios/sweep.yaml --window 30d -r 59 -j 2 --strategy live_patch --param "$MH=1,2"
compare "too few replications" scenarios/sweep.yaml --window 4h -r 10 -j 2 --param "$MH=8,2"
json "$tmp/j" "too few" 'd["bound_rank"] is None' '[v["value"] for v in d["strategies"][0]["values"]] == ["2", "8"]' \
	'd["strategies"][0]["answer"]["text"] == "none can be shown to fit (too few replications)"'
echo "$T: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
