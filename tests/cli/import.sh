#!/bin/sh
# lpsim import: RVTools and PowerCLI exports (tests/data/import) end to end:
# import -> validate -> scan counts; warnings; exact error messages; exit
# statuses (65 bad input with nothing written, 66 missing input, 73 output
# not creatable, 64 bad usage). Run from the repository root with LPSIM set.
: "${LPSIM:=./lpsim}"
D=tests/data/import
T=import.sh
# shellcheck source=tests/cli/check.inc
. "$(dirname "$0")/check.inc"

# ---- RVTools: vInfo + vHost + vNetwork + vDisk (comma, BOM, CRLF, 92 columns) ----
status 0 "rvtools prod" "$LPSIM" import rvtools "$D/prod-vinfo.csv" --vhost "$D/prod-vhost.csv" \
	--vnetwork "$D/prod-vnetwork.csv" --vdisk "$D/prod-vdisk.csv" -o "$tmp/prod.yaml"
e=$tmp/err
has "$e" "lpsim: import: wrote $tmp/prod.yaml: 3 clusters, 7 hosts, 18 VMs (17 pinned), 1 with count: 0; not imported: 2 templates, 1 SRM placeholder, 1 FT secondary, 1 not connected"
has "$e" "lpsim: import: warning: $D/prod-vnetwork.csv: 1 row with DirectPath I/O names a VM not imported (e.g. 'ghost-vm'): ignored"
has "$e" "lpsim: import: warning: 1 VM is not pinned to its export host, which lacks room in lpsim's model (e.g. 'big-idle' on 'esx-a04.lab.local'): left to initial placement"
has "$e" "lpsim: import: warning: 1 VM fits on no host in lpsim's model (e.g. 'huge-vm' in cluster 'prod-a'): written with count: 0"
has "$e" "lpsim: import: warning: 1 cluster has its cpu_overcommit raised above 4.0 to fit the export's vCPUs per core"
y=$tmp/prod.yaml
has "$y" '      - {name: "esx-a04.lab.local", version: "7.0.3", cores: 32, memory_gb: 256}  # older than 8.0.3: cannot live patch'
has "$y" '      - {name: "web _frontend__ tier 1", vcpus: 2, memory_gb: 8, power: "on", host: "esx-a03.lab.local"}  # export name: web "frontend", tier 1'
has "$y" '      - {name: "app_db%%", vcpus: 2, memory_gb: 4, power: "on", host: "esx-a01.lab.local"}  # export name: app/db%'
has "$y" '      - {name: "db-01", vcpus: 8, memory_gb: 64, power: "on", ft: true, host: "esx-a01.lab.local"}'
has "$y" '      - {name: "gpu-01", vcpus: 8, memory_gb: 32, power: "on", directpath: true, host: "esx-a04.lab.local"}'
has "$y" '      - {name: "sql-fci-01", vcpus: 8, memory_gb: 32, power: "on", shared_disk: true, host: "esx-a02.lab.local"}'
has "$y" '      - {name: "café-01", vcpus: 1, memory_gb: 2, power: "on", host: "esx-a03.lab.local"}'
has "$y" '      - {name: "edge-fw-01~2", vcpus: 2, memory_gb: 4, power: "on", host: "esx-e02.lab.local"}  # export name: edge-fw-01'
has "$y" '    cpu_overcommit: 4.5  # vCPUs per core that DRS may place; raised from 4.0: the export has 4.50 on esx-e01.lab.local'
hasre "$y" '^      - \{name: "big-idle", vcpus: 16, memory_gb: 256, power: "off"\}  # not pinned'
hasre "$y" '^      - \{name: "huge-vm", vcpus: 64, memory_gb: 1024, power: "off", count: 0\}  # fits on no host'
has "$y" '  version: "8.0.3"  # from vInfo'"'"'s VI SDK API Version (8.0.3.0); live patch needs 8.0.3 or later'
grep -q 'tmpl-win2022\|orphan-vm\|srm-placeholder' "$y" && say "prod.yaml holds a template, an orphaned VM or an SRM placeholder"
[ "$(grep -c '"db-01"' "$y")" -eq 1 ] || say "prod.yaml: the FT secondary of db-01 was imported as a VM"

status 0 "validate prod" "$LPSIM" validate "$y"
has "$tmp/out" "$y: ok — 3 clusters, 7 hosts, 18 VMs"
status 0 "scan prod" "$LPSIM" scan "$y"
s=$tmp/out
has "$s" "cluster prod-a: mode enforce, BLOCKED (no host is remediated); 4 hosts, 3 eligible; 4 blocked; reasons: host_too_old (1 host)"
has "$s" "cluster edge: mode enforce, not blocked; 2 hosts, 2 eligible; 2 live; reasons: none"
has "$s" "cluster esx-solo.lab.local: mode enforce, not blocked; 1 host, 1 eligible; 1 live; reasons: none"
has "$s" "  ft (2): prod-a/db-01, prod-a/ft-standby"
has "$s" "  directpath (1): prod-a/gpu-01"
has "$s" "  shared_disk (2): prod-a/sql-fci-01, prod-a/sql-fci-02"
has "$s" "totals: 7 hosts, 6 eligible; paths: 3 live, 0 classic, 4 blocked; 1 of 3 clusters blocked; 18 VMs, 5 FSR-incompatible"
status 0 "scan prod --json" "$LPSIM" scan --json "$y"
python3 - "$tmp/out" <<'EOF' || say "scan --json of prod.yaml: unexpected document"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["totals"] == {"hosts": 7, "eligible": 6, "vms": 18,
                       "incompatible": {"ft": 2, "directpath": 1, "vsphere_pod": 0, "shared_disk": 2}}, d["totals"]
assert [c["name"] for c in d["clusters"]] == ["prod-a", "edge", "esx-solo.lab.local"]
names = [v["vm"] for c in d["clusters"] for h in c["hosts"] for v in h["fsr_incompatible"]]
assert sorted(names) == ["db-01", "ft-standby", "gpu-01", "sql-fci-01", "sql-fci-02"], names
EOF

# The same import to standard output: the same scenario, byte for byte, but its name.
status 0 "rvtools prod to stdout" "$LPSIM" import rvtools "$D/prod-vinfo.csv" --vhost "$D/prod-vhost.csv" \
	--vnetwork "$D/prod-vnetwork.csv" --vdisk "$D/prod-vdisk.csv" --name prod
cmp -s "$tmp/out" "$y" || say "import to stdout differs from import to a file"
has "$tmp/err" "lpsim: import: wrote the scenario to standard output: 3 clusters, 7 hosts, 18 VMs (17 pinned), 1 with count: 0; not imported: 2 templates, 1 SRM placeholder, 1 FT secondary, 1 not connected"

# ---- RVTools 3.x style: ';', LF, no BOM, shuffled columns, MB headers, no vHost ------
status 0 "rvtools lab" "$LPSIM" import rvtools "$D/lab-vinfo.csv" -o "$tmp/lab.yaml" --name lab-west
has "$tmp/err" "lpsim: import: warning: 2 hosts are not in a host export: their cores and memory are guessed from the VMs on them (see the comments in the scenario)"
has "$tmp/err" "lpsim: import: warning: 2 hosts have no known ESXi version: the vCenter's is assumed"
has "$tmp/lab.yaml" 'name: "lab-west"'
has "$tmp/lab.yaml" '      - {name: "lab-esx-01", cores: 8, memory_gb: 64}  # not in a host export: size guessed from its VMs; ESXi version unknown: the vCenter'"'"'s'
status 0 "validate lab" "$LPSIM" validate "$tmp/lab.yaml"
has "$tmp/out" "$tmp/lab.yaml: ok — 1 cluster, 2 hosts, 5 VMs"
status 0 "scan lab" "$LPSIM" scan "$tmp/lab.yaml"
has "$tmp/out" "totals: 2 hosts, 2 eligible; paths: 2 live, 0 classic, 0 blocked; 0 of 1 clusters blocked; 5 VMs, 1 FSR-incompatible"

# ---- Windows-1252 ("ANSI") export ---------------------------------------------------
status 0 "rvtools ansi" "$LPSIM" import rvtools "$D/ansi-vinfo.csv" -o "$tmp/ansi.yaml"
has "$tmp/err" "lpsim: import: warning: $D/ansi-vinfo.csv is not UTF-8 text: read as Windows-1252 (ANSI)"
has "$tmp/ansi.yaml" '  - name: "Zürich"'
has "$tmp/ansi.yaml" '      - {name: "naïve-02", vcpus: 1, memory_gb: 1, power: "off", host: "esx-02"}'
status 0 "validate ansi" "$LPSIM" validate "$tmp/ansi.yaml"

# ---- PowerCLI: #TYPE line, all quoted, CRLF; UTF-16LE with BOM ------------------------
status 0 "powercli" "$LPSIM" import powercli "$D/pc-vms.csv" --hosts "$D/pc-hosts.csv" -o "$tmp/pc.yaml"
has "$tmp/err" "lpsim: import: warning: 1 VM is on a host that $D/pc-hosts.csv does not list (e.g. 'lost-vm' on 'pc-esx-99.corp.example'): left out (no known cluster)"
has "$tmp/err" "lpsim: import: wrote $tmp/pc.yaml: 2 clusters, 4 hosts, 7 VMs (7 pinned); not imported: 1 with no known cluster"
has "$tmp/pc.yaml" '      - {name: "jump", vcpus: 2, memory_gb: 0.5, power: "off", host: "pc-esx-02.corp.example"}'
has "$tmp/pc.yaml" '      - {name: "batch", vcpus: 8, memory_gb: 24.5, power: "suspended", host: "pc-esx-03.corp.example"}'
status 0 "validate powercli" "$LPSIM" validate "$tmp/pc.yaml"
has "$tmp/out" "$tmp/pc.yaml: ok — 2 clusters, 4 hosts, 7 VMs"
status 0 "scan powercli" "$LPSIM" scan "$tmp/pc.yaml"
has "$tmp/out" "cluster Prod: mode enforce, BLOCKED (no host is remediated); 3 hosts, 2 eligible; 3 blocked; reasons: host_too_old (1 host)"
has "$tmp/out" "cluster pc-esx-dmz.corp.example: mode enforce, not blocked; 1 host, 1 eligible; 1 live; reasons: none"
has "$tmp/out" "totals: 4 hosts, 3 eligible; paths: 1 live, 0 classic, 3 blocked; 1 of 2 clusters blocked; 7 VMs, 0 FSR-incompatible"
status 0 "powercli utf-16" "$LPSIM" import powercli "$D/pc-vms-utf16.csv" --hosts "$D/pc-hosts.csv" -o "$tmp/pc16.yaml" --name pc
sed -n '/^clusters:/,$p' "$tmp/pc.yaml" >"$tmp/a"
sed -n '/^clusters:/,$p' "$tmp/pc16.yaml" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || say "the UTF-16 export gives other clusters than the UTF-8 one"
hasre "$tmp/pc16.yaml" '^#   Get-VM +tests/data/import/pc-vms-utf16.csv \(comma-separated, UTF-16LE, #TYPE line skipped\)'
status 0 "powercli without hosts" "$LPSIM" import powercli "$D/pc-vms.csv" -o "$tmp/pc1.yaml"
status 0 "validate powercli without hosts" "$LPSIM" validate "$tmp/pc1.yaml"
has "$tmp/out" "$tmp/pc1.yaml: ok — 1 cluster, 5 hosts, 8 VMs"

# The imported scenario runs.
status 0 "run prod" "$LPSIM" run "$y" -r 2 -q -o "$tmp/run"
[ -s "$tmp/run/prod/summary.json" ] || [ -s "$tmp/run/summary.json" ] || say "run of the imported scenario wrote no summary.json"

# ---- bad input: every error, exact text, nothing written ------------------------------
echo "keep me" >"$tmp/keep.yaml"
status 65 "missing columns" "$LPSIM" import rvtools "$D/bad-missing-columns.csv" -o "$tmp/keep.yaml"
has "$tmp/err" "$D/bad-missing-columns.csv:1: error: no column 'Powerstate' in the header (an RVTools vInfo export has it)"
has "$tmp/err" "$D/bad-missing-columns.csv:1: error: no column 'CPUs' in the header (an RVTools vInfo export has it)"
[ "$(cat "$tmp/keep.yaml")" = "keep me" ] || say "a failed import changed the output file"
[ -s "$tmp/out" ] && say "a failed import wrote to stdout"
status 65 "bad values" "$LPSIM" import rvtools "$D/bad-values.csv" -o "$tmp/bad.yaml"
cat >"$tmp/want" <<EOF
$D/bad-values.csv:3: error: row 3, column 'CPUs': expected the number of vCPUs, a whole number from 1 to 4096 (got 'four')
$D/bad-values.csv:4: error: row 4, column 'Powerstate': expected poweredOn, poweredOff or suspended (got 'running')
$D/bad-values.csv:4: error: row 4, column 'Memory': expected the VM's memory in MiB, a number from 1 to 1073741824 (got '-1')
$D/bad-values.csv:5: error: row 5, column 'FT State': expected notConfigured, disabled, enabled, running, starting or needSecondary (got 'bogus')
$D/bad-values.csv:6: error: row 6, column 'Template': expected True or False (got 'maybe')
$D/bad-values.csv:6: error: row 6, column 'VM': expected a VM name (got nothing)
EOF
cmp -s "$tmp/err" "$tmp/want" || { say "bad values: unexpected messages"; diff "$tmp/want" "$tmp/err" | sed 's/^/    | /'; }
[ -e "$tmp/bad.yaml" ] && say "bad values: the output was written"
ls "$tmp" | grep -q 'bad.yaml.tmp' && say "bad values: a temporary file is left"
status 65 "unclosed quote" "$LPSIM" import rvtools "$D/bad-unclosed.csv"
has "$tmp/err" "$D/bad-unclosed.csv:3: error: row 3: a quoted field is not closed before the end of the file"
status 65 "bad vHost" "$LPSIM" import rvtools "$D/prod-vinfo.csv" --vhost "$D/bad-vhost.csv"
has "$tmp/err" "$D/bad-vhost.csv:3: error: row 3, column '# Cores': expected the number of cores, a whole number from 1 to 4096 (got '0')"
has "$tmp/err" "$D/bad-vhost.csv:3: error: row 3, column 'ESX Version': expected an ESXi version such as 'VMware ESXi 8.0.3 build-24022510' (got 'VMware ESXi')"
status 65 "powercli file as vInfo" "$LPSIM" import rvtools "$D/pc-vms.csv"
has "$tmp/err" "$D/pc-vms.csv:2: error: no column 'VM' in the header (an RVTools vInfo export has it)"
: >"$tmp/empty.csv"
status 65 "empty file" "$LPSIM" import powercli "$tmp/empty.csv"
has "$tmp/err" "$tmp/empty.csv: error: the file is empty: no header row"

# ---- files ------------------------------------------------------------------------------
status 66 "missing vInfo" "$LPSIM" import rvtools "$D/does-not-exist.csv" -o "$tmp/x.yaml"
has "$tmp/err" "lpsim: $D/does-not-exist.csv: No such file or directory"
status 66 "missing vHost" "$LPSIM" import rvtools "$D/prod-vinfo.csv" --vhost "$D/nope.csv"
status 66 "a directory" "$LPSIM" import rvtools "$D"
status 73 "output in a missing directory" "$LPSIM" import rvtools "$D/lab-vinfo.csv" -o "$tmp/no/such/dir/x.yaml"
has "$tmp/err" "lpsim: $tmp/no/such/dir/x.yaml: No such file or directory"

# ---- usage ------------------------------------------------------------------------------
status 64 "no format" "$LPSIM" import
status 64 "unknown format" "$LPSIM" import rvtool "$D/lab-vinfo.csv"
has "$tmp/err" "lpsim: import: unknown format 'rvtool' (rvtools, powercli or vcenter)"
status 64 "no file" "$LPSIM" import rvtools
status 64 "two files" "$LPSIM" import rvtools "$D/lab-vinfo.csv" "$D/prod-vhost.csv"
status 64 "--hosts with rvtools" "$LPSIM" import rvtools "$D/lab-vinfo.csv" --hosts "$D/pc-hosts.csv"
has "$tmp/err" "lpsim: import rvtools: option '--hosts' is for 'lpsim import powercli'"
status 64 "--vhost with powercli" "$LPSIM" import powercli "$D/pc-vms.csv" --vhost "$D/prod-vhost.csv"
status 64 "unknown option" "$LPSIM" import rvtools --frob "$D/lab-vinfo.csv"
status 64 "option without value" "$LPSIM" import rvtools "$D/lab-vinfo.csv" --vhost
status 64 "bad name" "$LPSIM" import rvtools "$D/lab-vinfo.csv" --name "my estate"
status 64 "empty -o" "$LPSIM" import rvtools "$D/lab-vinfo.csv" -o ""
status 0 "help" "$LPSIM" import --help
grep -q '^usage: lpsim import rvtools' "$tmp/out" || say "import --help prints no usage on stdout"
grep -q 'xlsx2csv -n vInfo' "$tmp/out" || say "import --help does not say how to convert .xlsx"
status 0 "rvtools help" "$LPSIM" import rvtools --help
"$LPSIM" --help | grep -q '^  import ' || say "lpsim --help does not list import"

[ "$fail" -eq 0 ] && echo "import.sh: ok"
exit $fail
