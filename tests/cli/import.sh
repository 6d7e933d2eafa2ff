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
has "$e" "lpsim: import: wrote $tmp/prod.yaml: 3 clusters, 7 hosts, 16 VMs (15 pinned), 1 with count: 0, 2 powered off or suspended with count: 0; not imported: 2 templates, 1 SRM placeholder, 1 FT secondary, 1 not connected"
has "$e" "lpsim: import: warning: $D/prod-vnetwork.csv: 1 row with an SR-IOV or passthrough NIC finds no single imported VM (e.g. 'ghost-vm'): ignored"
has "$e" "lpsim: import: warning: 2 powered-off or suspended VMs written with count: 0: vSphere counts no host memory for them, lpsim's model would (set count: 1 to simulate them)"
has "$e" "lpsim: import: warning: 1 VM is not pinned to its export host, which lacks room in lpsim's model (e.g. 'big-idle' on 'esx-a04.lab.local'): left to initial placement"
has "$e" "lpsim: import: warning: 1 VM fits on no host in lpsim's model (e.g. 'huge-vm' in cluster 'prod-a'): written with count: 0"
has "$e" "lpsim: import: warning: 1 cluster has its cpu_overcommit raised above 4.0 to fit the export's vCPUs per core"
y=$tmp/prod.yaml
has "$y" '      - {name: "esx-a04.lab.local", version: "7.0.3", cores: 32, memory_gb: 256}  # older than 8.0.3: cannot live patch; build 21930508'
has "$y" '      - {name: "web _frontend__ tier 1", vcpus: 2, memory_gb: 8, power: "on", host: "esx-a03.lab.local"}  # export name: web "frontend", tier 1'
has "$y" '      - {name: "app_db%%", vcpus: 2, memory_gb: 4, power: "on", host: "esx-a01.lab.local"}  # export name: app/db%'
has "$y" '      - {name: "db-01", vcpus: 8, memory_gb: 64, power: "on", ft: true, host: "esx-a01.lab.local"}'
# vNetwork's Direct Path IO is True on every Vmxnet3 NIC of the fixture (Vmxnet3's UPT
# flag, its default): no VM is marked for it; the SR-IOV and PCIPassthru adapters are.
has "$y" '      - {name: "gpu-01", vcpus: 8, memory_gb: 32, power: "on", directpath: true, host: "esx-a04.lab.local"}  # vNetwork: a PCI passthrough NIC'
has "$y" '      - {name: "edge-fw-02", vcpus: 2, memory_gb: 4, power: "on", directpath: true, host: "esx-e02.lab.local"}  # vNetwork: an SR-IOV NIC'
[ "$(grep -c '^      - .*, directpath: true' "$y")" -eq 2 ] || say "prod.yaml: Vmxnet3's Direct Path IO (UPT) was read as DirectPath I/O"
has "$y" '      - {name: "old-app", vcpus: 2, memory_gb: 4, power: "off", count: 0}  # powered off: vSphere counts no host memory for it, lpsim'"'"'s model would; set count: 1 to simulate it (export: on esx-a04.lab.local)'
has "$y" '      - {name: "suspended-vm", vcpus: 2, memory_gb: 4, power: "suspended", count: 0}  # suspended: vSphere counts no host memory for it, lpsim'"'"'s model would; set count: 1 to simulate it (export: on esx-a02.lab.local)'
has "$y" '      - {name: "sql-fci-01", vcpus: 8, memory_gb: 32, power: "on", shared_disk: true, host: "esx-a02.lab.local"}'
has "$y" '      - {name: "café-01", vcpus: 1, memory_gb: 2, power: "on", host: "esx-a03.lab.local"}'
has "$y" '      - {name: "edge-fw-01~2", vcpus: 2, memory_gb: 4, power: "on", host: "esx-e02.lab.local"}  # export name: edge-fw-01'
has "$y" '    cpu_overcommit: 4.5  # vCPUs per core that DRS may place; raised from 4.0: the export has 4.50 on esx-e01.lab.local'
hasre "$y" '^      - \{name: "big-idle", vcpus: 16, memory_gb: 256, power: "on"\}  # not pinned'
hasre "$y" '^      - \{name: "huge-vm", vcpus: 64, memory_gb: 1024, power: "on", count: 0\}  # fits on no host'
has "$y" '  version: "8.0.3"  # from '"'"'vc01.lab.local'"'"', VI SDK API Version 8.0.3.0 (vInfo); live patch needs 8.0.3 or later'
has "$y" '    drs: {enabled: true, automation: "fully_automated"}  # not in the export: lpsim'"'"'s default; manual | partially_automated | fully_automated'
grep -q 'tmpl-win2022\|orphan-vm\|srm-placeholder' "$y" && say "prod.yaml holds a template, an orphaned VM or an SRM placeholder"
[ "$(grep -c '"db-01"' "$y")" -eq 1 ] || say "prod.yaml: the FT secondary of db-01 was imported as a VM"

status 0 "validate prod" "$LPSIM" validate "$y"
has "$tmp/out" "$y: ok — 3 clusters, 7 hosts, 16 VMs"
status 0 "scan prod" "$LPSIM" scan "$y"
s=$tmp/out
has "$s" "cluster prod-a: mode enforce, BLOCKED (no host is remediated); 4 hosts, 3 eligible; 4 blocked; reasons: host_too_old (1 host)"
has "$s" "cluster edge: mode enforce, not blocked; 2 hosts, 2 eligible; 2 live; reasons: none"
has "$s" "cluster esx-solo.lab.local: mode enforce, not blocked; 1 host, 1 eligible; 1 live; reasons: none"
has "$s" "  ft (2): prod-a/db-01, prod-a/ft-standby"
has "$s" "  directpath (2): prod-a/gpu-01, edge/edge-fw-02"
has "$s" "  shared_disk (2): prod-a/sql-fci-01, prod-a/sql-fci-02"
has "$s" "totals: 7 hosts, 6 eligible; paths: 3 live, 0 classic, 4 blocked; 1 of 3 clusters blocked; 16 VMs, 6 FSR-incompatible"
status 0 "scan prod --json" "$LPSIM" scan --json "$y"
python3 - "$tmp/out" <<'EOF' || say "scan --json of prod.yaml: unexpected document"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["totals"] == {"hosts": 7, "eligible": 6, "vms": 16,
                       "incompatible": {"ft": 2, "directpath": 2, "vsphere_pod": 0, "shared_disk": 2}}, d["totals"]
assert [c["name"] for c in d["clusters"]] == ["prod-a", "edge", "esx-solo.lab.local"]
names = [v["vm"] for c in d["clusters"] for h in c["hosts"] for v in h["fsr_incompatible"]]
assert sorted(names) == ["db-01", "edge-fw-02", "ft-standby", "gpu-01", "sql-fci-01", "sql-fci-02"], names
EOF

# The same import to standard output: the same scenario, byte for byte, but its name.
status 0 "rvtools prod to stdout" "$LPSIM" import rvtools "$D/prod-vinfo.csv" --vhost "$D/prod-vhost.csv" \
	--vnetwork "$D/prod-vnetwork.csv" --vdisk "$D/prod-vdisk.csv" --name prod
cmp -s "$tmp/out" "$y" || say "import to stdout differs from import to a file"
has "$tmp/err" "lpsim: import: wrote the scenario to standard output: 3 clusters, 7 hosts, 16 VMs (15 pinned), 1 with count: 0, 2 powered off or suspended with count: 0; not imported: 2 templates, 1 SRM placeholder, 1 FT secondary, 1 not connected"

# ---- RVTools: the cluster tabs (vCluster, vDatastore, vSource) --------------------------
status 0 "rvtools prod with cluster tabs" "$LPSIM" import rvtools "$D/prod-vinfo.csv" --vhost "$D/prod-vhost.csv" \
	--vnetwork "$D/prod-vnetwork.csv" --vdisk "$D/prod-vdisk.csv" --vcluster "$D/prod-vcluster.csv" \
	--vdatastore "$D/prod-vdatastore.csv" --vsource "$D/prod-vsource.csv" -o "$tmp/prodc.yaml"
has "$tmp/err" "lpsim: import: warning: $D/prod-vcluster.csv: 1 row names no cluster of the VM or host export (e.g. 'dr-site'): ignored"
y=$tmp/prodc.yaml
has "$y" '    drs: {enabled: true, automation: "fully_automated"}  # vCluster: DRS enabled, fullyAutomated; manual | partially_automated | fully_automated'
has "$y" '    ha: {enabled: true, admission_control_pct: 25}  # vCluster: HA enabled, admission control tolerating 1 host failure of 4 hosts (the percentage policy'"'"'s figure; the export does not name the policy)'
has "$y" '    drs: {enabled: false, automation: "manual"}  # vCluster: DRS disabled, manual; manual | partially_automated | fully_automated'
has "$y" '    ha: {enabled: false, admission_control_pct: 0}  # vCluster: HA disabled'
has "$y" '    vsan: true  # vDatastore: vSAN datastore '"'"'vsanDatastore-edge'"'"'; at most one vSAN host in maintenance mode at a time when true'
has "$y" '    vsan: false  # vDatastore: no vSAN datastore; at most one vSAN host in maintenance mode at a time when true'
has "$y" '  version: "8.0.3"  # from '"'"'vc01.lab.local'"'"' 8.0.3 build 24022515 (vSource); live patch needs 8.0.3 or later'
has "$y" "  # edge (datacenter DC-East), vCenter 'vc01.lab.local' 8.0.3 build 24022515 (vSource): 2 hosts, 4 VMs"
# Only the standalone host, which vCluster does not list, keeps lpsim's DRS and HA defaults.
[ "$(grep -c '^    drs: .*not in the export' "$y")" -eq 1 ] || say "prodc.yaml: a DRS setting vCluster gives is written as not in the export"
[ "$(grep -c '^    vsan: .*not in the export' "$y")" -eq 0 ] || say "prodc.yaml: vsan written as not in the export with vDatastore given"
status 0 "scan prod with cluster tabs" "$LPSIM" scan "$y"
has "$tmp/out" "cluster edge: mode enforce, BLOCKED (no host is remediated); 2 hosts, 0 eligible; 2 blocked; reasons: drs_not_fully_automated (2 hosts)"

# ---- two vCenters: IP against FQDN, case, an empty server; a duplicate cluster name ------
status 0 "rvtools two vCenters" "$LPSIM" import rvtools "$D/mv-vinfo.csv" --vhost "$D/mv-vhost.csv" \
	--vsource "$D/mv-vsource.csv" -o "$tmp/mv.yaml"
e=$tmp/err
y=$tmp/mv.yaml
has "$e" "lpsim: import: warning: 3 VMs found their host in $D/mv-vhost.csv by its name alone (e.g. 'b-db-1'): the VI SDK Server columns differ (an IP address against a name, another case, or empty)"
has "$e" "lpsim: import: warning: the export's vCenters have different versions ('vc-a.corp.example' 8.0.3 build 24022515 (vSource); 'VC-B.corp.example' 8.0.2 build 22617221 (vSource)): vcenter.version is the oldest, 8.0.2, for every cluster (a scenario has one vCenter version); import each vCenter's rows on their own to simulate each with its own"
has "$e" "lpsim: import: warning: 1 host is in maintenance mode in $D/mv-vhost.csv (e.g. 'esx-b3.corp.example'): written as an ordinary host (the format has no maintenance state; its comment says so)"
has "$e" "lpsim: import: wrote $tmp/mv.yaml: 2 clusters, 5 hosts, 5 VMs (5 pinned), 1 powered off or suspended with count: 0"
grep -q "not pinned" "$e" && say "two vCenters: a warning says a VM is not pinned, the file pins them all"
has "$y" '  - name: "Prod~2"  # export name: Prod; a duplicate name: an earlier cluster of the export (another vCenter or datacenter) has it'
has "$y" "  # Prod (datacenter DC), vCenter 'vc-a.corp.example' 8.0.3 build 24022515 (vSource): 2 hosts, 3 VMs"
has "$y" "  # Prod~2 (datacenter DC), vCenter 'VC-B.corp.example' 8.0.2 build 22617221 (vSource): 3 hosts, 3 VMs"
has "$y" '      - {name: "b-db-1", vcpus: 8, memory_gb: 32, power: "on", host: "esx-b1.corp.example"}'
has "$y" '      - {name: "b-db-2", vcpus: 8, memory_gb: 32, power: "on", host: "esx-b2.corp.example"}'
has "$y" '      - {name: "b-app", vcpus: 2, memory_gb: 4, power: "on", host: "esx-b1.corp.example"}'
has "$y" '      - {name: "esx-b3.corp.example", version: "8.0.2", cores: 16, memory_gb: 256}  # older than 8.0.3: cannot live patch; build 22380479; in maintenance mode in the export'
has "$y" '      - {name: "esx-b2.corp.example", version: "8.0.2", cores: 16, memory_gb: 256}  # older than 8.0.3: cannot live patch; build 22380479; in quarantine mode in the export'
has "$e" "lpsim: import: warning: 1 host is in quarantine mode in $D/mv-vhost.csv: written as an ordinary host (DRS avoids placing VMs on it; the format has no such state)"
# vHost's own vCPUs per core (6,5 on esx-a2, whose VMs vInfo does not show) raises cpu_overcommit.
has "$y" '    cpu_overcommit: 6.5  # vCPUs per core that DRS may place; raised from 4.0: the export has 6.50 on esx-a2.corp.example'
status 0 "validate two vCenters" "$LPSIM" validate "$y"
status 65 "vHost of another vCenter" "$LPSIM" import rvtools "$D/mv-vinfo.csv" --vhost "$D/mv-vhost-other.csv" -o "$tmp/mvo.yaml"
has "$tmp/err" "$D/mv-vinfo.csv: error: no VM's host is in $D/mv-vhost-other.csv (e.g. 'esx-a1.corp.example' here, 'esx-z1.other.example' there): are they exports of the same vCenter? VI SDK Server in $D/mv-vinfo.csv: 'vc-a.corp.example', '10.20.0.5', ''; in $D/mv-vhost-other.csv: 'vc-z.other.example'"
[ -e "$tmp/mvo.yaml" ] && say "vHost of another vCenter: the output was written"

# ---- an Excel-saved sheet through xlsx2csv: 3000 comma-only rows and a totals row ------
status 0 "rvtools xlsx2csv" "$LPSIM" import rvtools "$D/xl-vinfo.csv" -o "$tmp/xl.yaml"
has "$tmp/err" "lpsim: import: warning: $D/xl-vinfo.csv: 3000 rows with no value (only delimiters, e.g. row 6): skipped"
has "$tmp/err" "lpsim: import: warning: $D/xl-vinfo.csv:5: row 5 looks like a totals row (no VM, no Powerstate): skipped"
[ "$(grep -c 'error' "$tmp/err")" -eq 0 ] || say "xlsx2csv: errors reported"
has "$tmp/err" "lpsim: import: wrote $tmp/xl.yaml: 1 cluster, 2 hosts, 2 VMs (2 pinned), 1 powered off or suspended with count: 0"

# ---- RVTools 3.x style: ';', LF, no BOM, shuffled columns, MB headers, no vHost ------
status 0 "rvtools lab" "$LPSIM" import rvtools "$D/lab-vinfo.csv" -o "$tmp/lab.yaml" --name lab-west
has "$tmp/err" "lpsim: import: warning: 2 hosts are not in a host export: their cores and memory are guessed from the VMs on them (see the comments in the scenario)"
has "$tmp/err" "lpsim: import: warning: 2 hosts have no known ESXi version: the vCenter's is assumed"
has "$tmp/lab.yaml" 'name: "lab-west"'
has "$tmp/lab.yaml" '      - {name: "lab-esx-01", cores: 8, memory_gb: 64}  # not in a host export: size guessed from its VMs; ESXi version unknown: the vCenter'"'"'s'
status 0 "validate lab" "$LPSIM" validate "$tmp/lab.yaml"
has "$tmp/out" "$tmp/lab.yaml: ok — 1 cluster, 2 hosts, 4 VMs"
status 0 "scan lab" "$LPSIM" scan "$tmp/lab.yaml"
has "$tmp/out" "totals: 2 hosts, 2 eligible; paths: 2 live, 0 classic, 0 blocked; 0 of 1 clusters blocked; 4 VMs, 1 FSR-incompatible"

# ---- Windows-1252 ("ANSI") export ---------------------------------------------------
status 0 "rvtools ansi" "$LPSIM" import rvtools "$D/ansi-vinfo.csv" -o "$tmp/ansi.yaml"
has "$tmp/err" "lpsim: import: warning: $D/ansi-vinfo.csv is not UTF-8 text: read as Windows-1252 (ANSI)"
has "$tmp/ansi.yaml" '  - name: "Zürich"'
has "$tmp/ansi.yaml" '      - {name: "naïve-02", vcpus: 1, memory_gb: 1, power: "off", count: 0}  # powered off: vSphere counts no host memory for it, lpsim'"'"'s model would; set count: 1 to simulate it (export: on esx-02)'
status 0 "validate ansi" "$LPSIM" validate "$tmp/ansi.yaml"

# ---- PowerCLI: #TYPE line, all quoted, CRLF; UTF-16LE with BOM ------------------------
status 0 "powercli" "$LPSIM" import powercli "$D/pc-vms.csv" --hosts "$D/pc-hosts.csv" -o "$tmp/pc.yaml"
has "$tmp/err" "lpsim: import: warning: 1 VM is on a host that $D/pc-hosts.csv does not list (e.g. 'lost-vm' on 'pc-esx-99.corp.example'): left out (no known cluster)"
has "$tmp/err" "lpsim: import: wrote $tmp/pc.yaml: 2 clusters, 4 hosts, 5 VMs (5 pinned), 2 powered off or suspended with count: 0; not imported: 1 with no known cluster"
hasre "$tmp/pc.yaml" '^      - \{name: "jump", vcpus: 2, memory_gb: 0.5, power: "off", count: 0\}  # powered off: .*export: on pc-esx-02.corp.example'
hasre "$tmp/pc.yaml" '^      - \{name: "batch", vcpus: 8, memory_gb: 24.5, power: "suspended", count: 0\}  # suspended: .*export: on pc-esx-03.corp.example'
status 0 "validate powercli" "$LPSIM" validate "$tmp/pc.yaml"
has "$tmp/out" "$tmp/pc.yaml: ok — 2 clusters, 4 hosts, 5 VMs"
status 0 "scan powercli" "$LPSIM" scan "$tmp/pc.yaml"
has "$tmp/out" "cluster Prod: mode enforce, BLOCKED (no host is remediated); 3 hosts, 2 eligible; 3 blocked; reasons: host_too_old (1 host)"
has "$tmp/out" "cluster pc-esx-dmz.corp.example: mode enforce, not blocked; 1 host, 1 eligible; 1 live; reasons: none"
has "$tmp/out" "totals: 4 hosts, 3 eligible; paths: 1 live, 0 classic, 3 blocked; 1 of 2 clusters blocked; 5 VMs, 0 FSR-incompatible"
status 0 "powercli utf-16" "$LPSIM" import powercli "$D/pc-vms-utf16.csv" --hosts "$D/pc-hosts.csv" -o "$tmp/pc16.yaml" --name pc
sed -n '/^clusters:/,$p' "$tmp/pc.yaml" >"$tmp/a"
sed -n '/^clusters:/,$p' "$tmp/pc16.yaml" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || say "the UTF-16 export gives other clusters than the UTF-8 one"
hasre "$tmp/pc16.yaml" '^#   Get-VM +tests/data/import/pc-vms-utf16.csv \(comma-separated, UTF-16LE, #TYPE line skipped\)'
status 0 "powercli without hosts" "$LPSIM" import powercli "$D/pc-vms.csv" -o "$tmp/pc1.yaml"
status 0 "validate powercli without hosts" "$LPSIM" validate "$tmp/pc1.yaml"
has "$tmp/out" "$tmp/pc1.yaml: ok — 1 cluster, 5 hosts, 6 VMs"

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
status 64 "--vcluster with powercli" "$LPSIM" import powercli "$D/pc-vms.csv" --vcluster "$D/prod-vcluster.csv"
has "$tmp/err" "lpsim: import powercli: option '--vcluster' is for 'lpsim import rvtools'"
status 66 "missing vSource" "$LPSIM" import rvtools "$D/prod-vinfo.csv" --vsource "$D/nope.csv"
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
