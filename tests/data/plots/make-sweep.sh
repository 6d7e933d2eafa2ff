#!/bin/sh
# Regenerates tests/data/plots/sweep/sweep.json, the sweep fixture of the
# sweep chart and of the report on a sweep directory, in the format of
# RESULTS.md ("sweep output") that `lpsim sweep` is to write: the 4 x 3
# points of scenarios/sweep.yaml (parallel max_hosts x web VM count), each
# simulated by `lpsim run` with 4 replications, and their summaries put
# together. Run from the repository root: sh tests/data/plots/make-sweep.sh ./lpsim
set -e
LPSIM=${1:-./lpsim}
out=tests/data/plots/sweep
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
for mh in 1 2 4 8; do
	for web in 100 200 400; do
		sed -e "s/max_hosts: 1}/max_hosts: $mh}/" \
		    -e "s/name: web-%03d, count: 200,/name: web-%03d, count: $web,/" \
		    -e '/^sweep:/,$d' scenarios/sweep.yaml >"$tmp/p.yaml"
		"$LPSIM" run "$tmp/p.yaml" -r 4 -q --no-plots -o "$tmp/$mh-$web"
	done
done
python3 - "$tmp" "$out/sweep.json" <<'PY'
import json, sys
tmp, dst = sys.argv[1], sys.argv[2]
a1, a2 = "vcenter.remediation.parallel.max_hosts", "clusters[0].vms[web-%03d].count"
doc = {"axes": [{"path": a1, "values": [1, 2, 4, 8]}, {"path": a2, "values": [100, 200, 400]}],
       "points": []}
for mh in (1, 2, 4, 8):
    for web in (100, 200, 400):
        with open(f"{tmp}/{mh}-{web}/summary.json") as f:
            s = json.load(f)
        s.pop("wall_s", None)
        s["scenario"]["file"] = "scenarios/sweep.yaml"
        doc["points"].append({"params": {a1: mh, a2: web}, "summary": s})
with open(dst, "w") as f:
    json.dump(doc, f, separators=(",", ":"))
    f.write("\n")
PY
echo "wrote $out/sweep.json"
