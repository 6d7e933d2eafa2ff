#!/bin/sh
# lpsim import vcenter against govmomi's vCenter simulator (tests/vcsim,
# built offline from Debian's golang-github-vmware-govmomi-dev, cached as
# build/vcsim), served on 127.0.0.1 (a port the kernel picks) with a
# 2048-bit certificate made here by openssl, which the import verifies
# with --ca-file. Checks the scenario against what the simulator holds
# (counts, DRS/HA/vSAN, a host's version, TPM, maintenance mode, FT,
# passthrough, SR-IOV, vGPU, shared SCSI bus, multi-writer disk, vSphere
# Pod, power state), paging, the logout, and the failures: wrong password,
# unverified TLS, a closed port, a timeout, a truncated reply, a bad URL,
# a credentials file others may read, --insecure's warning; each with its
# exit status, no secret in any output, and nothing written. Every
# simulator started is stopped on exit, also when a check fails.
: "${LPSIM:=./lpsim}"
T=vcenter.sh
# The simulator is on loopback: never through a proxy the environment names.
no_proxy=127.0.0.1 NO_PROXY=127.0.0.1
export no_proxy NO_PROXY
# shellcheck source=tests/cli/check.inc
. "$(dirname "$0")/check.inc"
pids=
stop_all() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap stop_all EXIT
trap 'exit 1' INT TERM

# ---- the simulator: built once (rebuilt when its sources change) -------------------
VCSIM=build/vcsim
mkdir -p build
if [ ! -x "$VCSIM" ] || [ -n "$(find tests/vcsim -newer "$VCSIM" -name '*.go')" ]; then
	if ! GOPATH=/usr/share/gocode GO111MODULE=off GOPROXY=off GOFLAGS= \
		GOCACHE="$PWD/build/gocache" go build -o "$VCSIM.tmp" ./tests/vcsim >"$tmp/gobuild" 2>&1; then
		say "cannot build the simulator (golang-go, golang-github-vmware-govmomi-dev):"
		sed 's/^/    | /' "$tmp/gobuild"
		exit 1
	fi
	mv "$VCSIM.tmp" "$VCSIM"
fi
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/vc.key" -out "$tmp/vc.crt" -days 1 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 ||
	{ say "openssl cannot make a certificate"; exit 1; }

USER_OK=administrator@vsphere.local
PASS_OK='s3cr3t-P@ss&<w0rd>'
# start NAME ARGS...: starts a simulator; its URL in $url, its output in $tmp/NAME.out.
start() {
	name=$1; shift
	: >"$tmp/$name.out"
	VCSIM_USER=$USER_OK VCSIM_PASSWORD=$PASS_OK "$VCSIM" -cert "$tmp/vc.crt" -key "$tmp/vc.key" \
		"$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	last=$!
	pids="$pids $last"
	i=0
	while ! grep -q '^count poweredOn' "$tmp/$name.out" && [ $i -lt 600 ]; do
		kill -0 "$last" 2>/dev/null || break
		sleep 0.1; i=$((i + 1))
	done
	url=$(sed -n 's/^URL //p' "$tmp/$name.out")
	[ -n "$url" ] || { say "simulator $name did not start"; sed 's/^/    | /' "$tmp/$name.err"; exit 1; }
}
# stop: stops the last simulator and waits for its closing line (logins, logouts).
stop() {
	kill "$last" 2>/dev/null
	wait "$last" 2>/dev/null
}
count() { sed -n "s/^count $1 //p" "$tmp/$2.out"; }
# secret_free FILE...: no file holds the password or the user name.
secret_free() {
	for f in "$@"; do
		[ -f "$f" ] || continue
		grep -qF -- "$PASS_OK" "$f" && say "$f holds the password"
		grep -qF -- "wrong-$PASS_OK" "$f" && say "$f holds the wrong password"
		grep -qF -- "$USER_OK" "$f" && say "$f holds the user name"
	done
}
imp() {
	LPSIM_VCENTER_USER=$USER_OK LPSIM_VCENTER_PASSWORD=$PASS_OK "$LPSIM" import vcenter "$@"
}

# ---- the estate, read with TLS verified and paging (3 objects a page) --------------
start main -clusters 2 -hosts 3 -vms 4 -standalone 1 -reconfig
y=$tmp/estate.yaml
status 0 "import" imp "$url" --ca-file "$tmp/vc.crt" --page-size 3 -o "$y"
clusters=$(($(count ClusterComputeResource main) + $(count ComputeResource main)))
hosts=$(count HostSystem main)
vms=$(count VirtualMachine main)
on=$(count poweredOn main)
[ "$clusters" -eq 3 ] && [ "$hosts" -eq 7 ] && [ "$vms" -eq 12 ] && [ "$on" -eq 11 ] ||
	say "the simulator holds $clusters clusters, $hosts hosts, $vms VMs, $on on (want 3, 7, 12, 11)"
# powered-off VMs are written with count: 0 (import_estate.h, "Power")
has "$tmp/err" "lpsim: import: wrote $y: $clusters clusters, $hosts hosts, $on VMs ($on pinned), $((vms - on)) powered off or suspended with count: 0; not imported: 0 templates, 0 FT secondaries, 0 not connected, 0 on no host"
has "$tmp/err" "lpsim: import: warning: 1 host is in maintenance mode (see the comments): lpsim has no such state and remediates it as the others"
status 0 "validate" "$LPSIM" validate "$y"
has "$tmp/out" "$y: ok — $clusters clusters, $hosts hosts, $on VMs"
[ "$(grep -c '^      - {name: "DC0_.*vcpus: ' "$y")" -eq "$vms" ] || say "$y: not $vms VM lines"
[ "$(grep -c '^    vms:' "$y")" -eq "$clusters" ] || say "$y: not $clusters clusters with VMs"
[ "$(grep -c 'power: "on"' "$y")" -eq "$on" ] || say "$y: powered-on VMs differ"
has "$y" '  version: "6.5.0"  # vCenter 6.5.0 build 5973321 (API 6.5); live patch needs 8.0.3 or later'
has "$y" '    drs: {enabled: true, automation: "manual"}  # vCenter: configurationEx.drsConfig; manual | partially_automated | fully_automated'
has "$y" '    ha: {enabled: true, admission_control_pct: 30}  # vCenter: configurationEx.dasConfig'
has "$y" '    vsan: true  # vCenter: configurationEx.vsanConfigInfo; at most one vSAN host in maintenance mode at a time when true'
[ "$(grep -c '^    drs: {enabled: false' "$y")" -eq 2 ] || say "$y: DC0_C1 and the standalone host should have DRS off"
has "$y" '    vsan: false  # a standalone host has none; at most one vSAN host in maintenance mode at a time when true'
hasre "$y" '^      - \{name: "DC0_C0_H0", version: "7\.0\.3", cores: [0-9]+, memory_gb: [0-9.]+\}  # older than 8\.0\.3: cannot live patch; ESXi 7\.0\.3 build 21930508$'
hasre "$y" '^      - \{name: "DC0_C0_H1", .*# .*; in maintenance mode$'
hasre "$y" '^      - \{name: "DC0_C0_H2", .*, tpm: true\}'
[ "$(grep -c 'tpm: true' "$y")" -eq 1 ] || say "$y: one host only has a TPM"
hasre "$y" '^      - \{name: "DC0_C0_RP0_VM0", .*, directpath: true, host: '
hasre "$y" '^      - \{name: "DC0_C0_RP0_VM1", .*, ft: true, host: '
hasre "$y" '^      - \{name: "DC0_C0_RP0_VM2", .*, directpath: true, host: .*# reservation: 0 MHz CPU, 16 MB memory$'
hasre "$y" '^      - \{name: "DC0_C0_RP0_VM3", .*, shared_disk: true, host: '
hasre "$y" '^      - \{name: "DC0_C1_RP0_VM0", .*, directpath: true, host: '
hasre "$y" '^      - \{name: "DC0_C1_RP0_VM1", .*, shared_disk: true, host: '
hasre "$y" '^      - \{name: "DC0_C1_RP0_VM2", .*, vsphere_pod: true, host: '
hasre "$y" '^      - \{name: "DC0_C1_RP0_VM3", .*, power: "off", count: 0\}  # powered off: '
[ "$(grep -c 'directpath: true' "$y")" -eq 3 ] || say "$y: 3 VMs have passthrough, SR-IOV or vGPU"
[ "$(grep -c 'shared_disk: true\|ft: true\|vsphere_pod: true' "$y")" -eq 4 ] || say "$y: flags set on other VMs"
secret_free "$y" "$tmp/err" "$tmp/out"
stop
has "$tmp/main.out" "logins 1 logouts 1 continues 5"

# ---- the same estate, unconfigured: no flag is invented ------------------------------
start plain -clusters 1 -hosts 2 -vms 3 -standalone 0
status 0 "import plain" imp "$url" --ca-file "$tmp/vc.crt" -o "$tmp/plain.yaml"
has "$tmp/err" "lpsim: import: wrote $tmp/plain.yaml: 1 cluster, 2 hosts, 3 VMs (3 pinned); not imported: 0 templates, 0 FT secondaries, 0 not connected, 0 on no host"
grep -q 'directpath: true\|shared_disk: true\|ft: true\|vsphere_pod: true\|tpm: true' "$tmp/plain.yaml" &&
	say "plain.yaml: a flag set on an unconfigured simulator"

# ---- failures: each with its status and message, nothing written, no secret ---------
o=$tmp/never.yaml
written() { [ -e "$o" ] && say "$1: wrote $o"; rm -f "$o"; }
status 65 "wrong password" env LPSIM_VCENTER_USER="$USER_OK" \
	LPSIM_VCENTER_PASSWORD="wrong-$PASS_OK" "$LPSIM" import vcenter "$url" --ca-file "$tmp/vc.crt" -o "$o"
has "$tmp/err" "lpsim: import vcenter: $url: login refused: Login failure - InvalidLogin"
written "wrong password"; secret_free "$tmp/err"

status 66 "TLS not verified" imp "$url" -o "$o"
hasre "$tmp/err" "^lpsim: import vcenter: $url: TLS failed: .*certificate.* \(give the vCenter's CA with --ca-file\)$"
written "TLS not verified"

status 0 "--insecure" imp "$url" --insecure -o "$o"
has "$tmp/err" "lpsim: import: warning: --insecure: the server's TLS certificate is not verified; the password may go to an impostor"
rm -f "$o"
status 64 "--insecure with --ca-file" imp "$url" --insecure --ca-file "$tmp/vc.crt" -o "$o"

printf 'user=%s\npassword=%s\n' "$USER_OK" "$PASS_OK" >"$tmp/cred"
chmod 644 "$tmp/cred"
env -u LPSIM_VCENTER_USER -u LPSIM_VCENTER_PASSWORD \
	"$LPSIM" import vcenter "$url" --ca-file "$tmp/vc.crt" --credentials "$tmp/cred" -o "$o" \
	>"$tmp/out" 2>"$tmp/err"
[ $? -eq 65 ] || say "credentials file 0644: not exit 65"
has "$tmp/err" "lpsim: import vcenter: $tmp/cred: permissions 0644 let others read or write it: chmod 600 it (refused)"
written "credentials 0644"; secret_free "$tmp/err"
chmod 600 "$tmp/cred"
env -u LPSIM_VCENTER_USER -u LPSIM_VCENTER_PASSWORD \
	"$LPSIM" import vcenter "$url" --ca-file "$tmp/vc.crt" --credentials "$tmp/cred" -o "$o" \
	>"$tmp/out" 2>"$tmp/err" || say "credentials file 0600: refused"
[ -s "$o" ] || say "credentials file 0600: nothing written"
secret_free "$o" "$tmp/err"; rm -f "$o"
status 64 "no credentials" env -u LPSIM_VCENTER_USER -u LPSIM_VCENTER_PASSWORD \
	"$LPSIM" import vcenter "$url" -o "$o"
has "$tmp/err" "lpsim: import vcenter: no credentials: set LPSIM_VCENTER_USER and LPSIM_VCENTER_PASSWORD, or give --credentials FILE (never on the command line)"
status 66 "credentials file missing" imp "$url" --credentials "$tmp/nope" -o "$o"
stop
has "$tmp/plain.out" "logins 4 logouts 3 continues 0"

# ---- a property the user may not read: a warning, and lpsim's defaults -------------
start deny -clusters 1 -hosts 2 -vms 3 -standalone 0 -deny configurationEx
status 0 "import without permission" imp "$url" --ca-file "$tmp/vc.crt" -o "$tmp/deny.yaml"
has "$tmp/err" "lpsim: import: warning: 1 property could not be read (e.g. 'configurationEx' of 'DC0_C0': NoPermission): lpsim's defaults are written in its place; check the user's permissions"
hasre "$tmp/deny.yaml" '^    drs: \{enabled: true, automation: "fully_automated"\}  # not in the export: '
stop


port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
status 66 "closed port" imp "https://127.0.0.1:$port/sdk" --ca-file "$tmp/vc.crt" -o "$o"
hasre "$tmp/err" "^lpsim: import vcenter: https://127\.0\.0\.1:$port/sdk: cannot reach the server: .*"
written "closed port"

status 64 "http URL" imp "http://127.0.0.1:$port/sdk" -o "$o"
has "$tmp/err" "lpsim: import vcenter: 'http://127.0.0.1:$port/sdk': only https:// URLs are accepted (credentials are sent)"
status 64 "URL with a password" imp "https://me:hunter2@127.0.0.1:$port/sdk" -o "$o"
grep -q hunter2 "$tmp/err" && say "the URL's password is echoed"
has "$tmp/err" "lpsim: import vcenter: the URL holds a user or password: give credentials through LPSIM_VCENTER_USER/LPSIM_VCENTER_PASSWORD or --credentials FILE"
status 64 "not a URL" imp "::nope" -o "$o"
status 64 "no URL" imp -o "$o"
written "bad URLs"

start hang -clusters 1 -hosts 1 -vms 1 -standalone 0 -fault hang
status 66 "timeout" imp "$url" --ca-file "$tmp/vc.crt" --timeout 1 -o "$o"
hasre "$tmp/err" "^lpsim: import vcenter: $url: reading the ComputeResource objects: no complete reply within 1 s \(--timeout\): .*"
written "timeout"
stop
has "$tmp/hang.out" "logins 1 logouts 1 continues 0"

start trunc -clusters 1 -hosts 1 -vms 1 -standalone 0 -fault truncate
status 65 "truncated reply" imp "$url" --ca-file "$tmp/vc.crt" -o "$o"
hasre "$tmp/err" "^lpsim: import vcenter: $url: reading the ComputeResource objects: the reply is truncated or not well-formed XML \([0-9]+ bytes received\)$"
written "truncated"
stop
has "$tmp/trunc.out" "logins 1 logouts 1 continues 0"

status 0 "help" "$LPSIM" import vcenter --help
grep -q 'lpsim import vcenter URL' "$tmp/out" || say "import vcenter --help shows no usage"

[ "$fail" -eq 0 ] && echo "vcenter.sh: ok"
exit $fail
