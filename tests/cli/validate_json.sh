#!/bin/sh
# validate --json (issue 19): one document on stdout, valid against
# plots/schemas/validate.schema.json; per file ok (counts, unanchored
# defaults as the text says) or the errors, each exactly a line of the bad
# file's .err (file, line, col, message); the exit status unchanged.
: "${LPSIM:=./lpsim}"
T=validate_json.sh
. tests/cli/lib.inc
V=tests/cli/jsonschema.py
SCH=plots/schemas/validate.schema.json

# Every bad scenario: its errors in JSON are its .err lines, in order.
for y in tests/data/bad/*.yaml; do
	e=${y%.yaml}.err
	"$LPSIM" validate --json "$y" >"$tmp/j" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 65 ] && ok || say "$y: exit $rc, want 65"
	python3 - "$tmp/j" "$e" >"$tmp/py" 2>&1 <<'PY' && ok || say "$y: $(cat "$tmp/py")"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["files"][0]
assert d["status"] == 65 and f["status"] == 65 and f["ok"] is False, (d["status"], f["ok"])
got = []
for x in f["errors"]:
    where = x["file"] + (":%d:%d" % (x["line"], x["col"]) if x["line"] is not None else "")
    got.append("%s: error: %s" % (where, x["message"]))
if f["errors_not_shown"]:
    got.append("%s: error: too many errors; only the first 50 are shown" % f["file"])
want = open(sys.argv[2], encoding="utf-8").read().split("\n")  # not splitlines: U+0085 is in names
if want and want[-1] == "":
    want.pop()
assert got == want, "JSON errors %r, want %r" % (got[:3], want[:3])
PY
done
# Good files, a missing file: one document, the worst status, valid against the schema.
"$LPSIM" validate --json scenarios/default.yaml tests/data/good/*.yaml "$tmp/missing.yaml" >"$tmp/j" 2>"$tmp/err"
rc=$?
[ $rc -eq 66 ] && ok || say "good + missing: exit $rc, want 66"
if python3 $V $SCH "$tmp/j" >"$tmp/v" 2>&1; then ok; else say "not valid against $SCH: $(head -c 500 "$tmp/v")"; fi
"$LPSIM" validate scenarios/default.yaml >"$tmp/text" 2>&1
json "$tmp/j" "good + missing" \
	'd["tool"] == "lpsim" and d["status"] == 66' \
	'd["files"][0] == {**d["files"][0], "file": "scenarios/default.yaml", "ok": True, "status": 0, "clusters": 1, "hosts": 16, "vms": 352}' \
	'all(f["ok"] and f["status"] == 0 for f in d["files"][:-1])' \
	'd["files"][-1]["status"] == 66 and d["files"][-1]["errors"][0]["message"] == "No such file or directory"' \
	'd["files"][-1]["errors"][0]["line"] is None' \
	"'%d of %d hardware figures' % (d['files'][0]['unanchored_defaults']['count'], d['files'][0]['unanchored_defaults']['of']) in open('$tmp/text').read()" \
	'len(d["files"][0]["unanchored_defaults"]["figures"]) == d["files"][0]["unanchored_defaults"]["count"]'
# With --json, nothing on stderr for a bad scenario (its errors are in the document).
"$LPSIM" validate --json tests/data/bad/cluster-overrides.yaml >/dev/null 2>"$tmp/err"
[ -s "$tmp/err" ] && { say "validate --json wrote to stderr"; show "$tmp/err"; } || ok
echo "$T: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
