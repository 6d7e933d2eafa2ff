#!/bin/sh
# shellcheck disable=SC2015 # "A && ok || say": ok always succeeds
# plots.sh: `lpsim plot`, `lpsim report` and the charts `lpsim run` draws,
# end to end. Run from the repository root with LPSIM set to the binary
# (the ASan build too: every input here is small).
#   - run draws timeline.png, compliance.png and downtime.png (real PNGs of
#     the size asked), and none with --no-plots
#   - plot: each chart in PNG, SVG and PDF; the default output; options
#   - report: a PDF whose pages pdfinfo counts, text pdftotext finds (the
#     findings, the window), on a run and on a sweep directory
#   - exit statuses: 64 bad usage, 65 malformed data (with FILE:LINE), 66
#     missing input, 73 output not creatable
# Prints one line per failure and a summary line; exits 1 on any failure.
: "${LPSIM:=./lpsim}"
case $LPSIM in /*) ;; *) LPSIM=$(pwd)/$LPSIM ;; esac
D=tests/data/plots
RUN=$D/run-small
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
say() {
	fail=$((fail + 1))
	echo "plots.sh: FAIL: $*"
}

# status WANT WHAT CMD...: CMD exits WANT (stderr in $tmp/err).
status() {
	want=$1; what=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		say "$what: exit $got, want $want"
		sed 's/^/    | /' "$tmp/err" | head -n 5
		return 1
	fi
	ok
}

# err_has WHAT TEXT: the last stderr holds TEXT.
err_has() {
	if grep -qF -- "$2" "$tmp/err"; then ok; else say "$1: stderr lacks '$2': $(head -c 300 "$tmp/err")"; fi
}

# png FILE WIDTH: FILE is a PNG WIDTH pixels wide and some height over 300.
png() {
	if [ "$(head -c 8 "$1" | od -An -c | tr -d ' \n')" != '211PNG\r\n032\n' ]; then
		say "$1: not a PNG"
		return
	fi
	w=$(od -An -tu1 -j16 -N4 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
	h=$(od -An -tu1 -j20 -N4 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
	if [ "$w" -eq "$2" ] && [ "$h" -gt 300 ]; then ok; else say "$1: ${w}x$h, want width $2"; fi
}

# pages FILE N: pdfinfo counts at least N pages.
pages() {
	n=$(pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}')
	if [ -n "$n" ] && [ "$n" -ge "$2" ]; then ok; else say "$1: ${n:-no} pages, want >= $2"; fi
}

# ---- lpsim run draws the charts ------------------------------------------------------
status 0 "run with charts" "$LPSIM" run tests/data/run/small.yaml -r 2 -q -o "$tmp/r" &&
	for c in timeline compliance downtime; do png "$tmp/r/$c.png" 1200; done
ls "$tmp/r" | grep -q 'tmp' && say "run left a temporary: $(ls "$tmp/r")" || ok
status 0 "run --no-plots" "$LPSIM" run tests/data/run/small.yaml -r 2 -q --no-plots -o "$tmp/n" &&
	{ ls "$tmp/n"/*.png >/dev/null 2>&1 && say "--no-plots drew charts" || ok; }
"$LPSIM" run --help | grep -q 'no-plots.*not drawn by this build' && say "run --help still says charts are not drawn" || ok

# ---- lpsim plot ----------------------------------------------------------------------------
for c in timeline compliance downtime; do
	for ext in png svg pdf; do
		status 0 "plot $c.$ext" "$LPSIM" plot $RUN --chart $c -o "$tmp/$c.$ext"
	done
	png "$tmp/$c.png" 1200
	head -c 5 "$tmp/$c.svg" | grep -q '<?xml' && grep -q '<svg' "$tmp/$c.svg" && ok || say "$c.svg is not SVG"
	pages "$tmp/$c.pdf" 1
done
cp -r $RUN "$tmp/copy"
status 0 "plot default output" "$LPSIM" plot "$tmp/copy" --chart compliance && png "$tmp/copy/compliance.png" 1200
status 0 "plot options" "$LPSIM" plot $RUN --chart timeline --strategy classic --replication 3 \
	--lanes clusters --width 800 -o "$tmp/t.png" && png "$tmp/t.png" 800
status 0 "plot window" "$LPSIM" plot $RUN --chart compliance --window 90m -o "$tmp/w.png"
status 0 "plot sweep" "$LPSIM" plot $D/sweep --chart sweep --window 4h -o "$tmp/s.png" && png "$tmp/s.png" 1200
status 0 "plot sweep metric and axis" "$LPSIM" plot $D/sweep --chart sweep --metric vm_downtime_s \
	--axis 'clusters[0].vms[web-%03d].count' -o "$tmp/s2.svg"
status 0 "plot --help" "$LPSIM" plot --help

status 64 "plot without chart" "$LPSIM" plot $RUN && err_has "no chart" "which chart"
status 64 "plot unknown chart" "$LPSIM" plot $RUN --chart pie && err_has "unknown chart" "--chart wants"
status 64 "plot bad extension" "$LPSIM" plot $RUN --chart timeline -o "$tmp/x.gif" && err_has "extension" ".png, .svg or .pdf"
status 64 "plot bad window" "$LPSIM" plot $RUN --chart compliance --window soon
status 64 "plot bad metric" "$LPSIM" plot $D/sweep --chart sweep --metric speed
status 64 "plot without directory" "$LPSIM" plot --chart timeline
status 64 "plot two directories" "$LPSIM" plot $RUN $RUN --chart timeline
status 66 "plot missing directory" "$LPSIM" plot "$tmp/none" --chart timeline
status 66 "plot no summary" "$LPSIM" plot $D/no-summary --chart compliance && err_has "no summary" "no summary.json"
status 66 "plot chart without its file" "$LPSIM" plot $D/bad-number --chart compliance &&
	err_has "chart without its file" "compliance.csv"
status 66 "plot sweep of a run" "$LPSIM" plot $RUN --chart sweep && err_has "sweep of a run" "no sweep.json"
status 66 "plot timeline without timeline.csv" "$LPSIM" plot $D/bad-strategy --chart timeline &&
	err_has "missing timeline.csv" "timeline.csv"
status 65 "plot malformed number" "$LPSIM" plot $D/bad-number --chart downtime &&
	err_has "malformed number" "bad-number/vms.csv:3: 'downtime_s' is not a number: 'abc'"
status 65 "plot malformed header" "$LPSIM" plot $D/bad-header --chart timeline
status 65 "plot malformed quote" "$LPSIM" plot $D/bad-quote --chart timeline &&
	err_has "malformed quote" "timeline.csv:4: unterminated quoted field"
status 65 "plot malformed json" "$LPSIM" plot $D/bad-json --chart compliance
status 65 "plot replication not in the run" "$LPSIM" plot $RUN --chart timeline --replication 7
# a replication the summary counts but the CSV files do not hold (replication 0
# only, without --all-replications), and a strategy that did not run: an
# error, not a picture of one
status 0 "run of 3 replications" "$LPSIM" run tests/data/run/small.yaml -r 3 -q --no-plots -o "$tmp/r3"
status 65 "plot replication not in the CSV files" "$LPSIM" plot "$tmp/r3" --chart timeline \
	--replication 2 -o "$tmp/r3/t.png" &&
	err_has "replication not in the CSV" "timeline.csv has no rows for replication 2" &&
	err_has "replication not in the CSV" "--all-replications"
[ -e "$tmp/r3/t.png" ] && say "plot --replication 2 wrote a chart" || ok
status 0 "run of one strategy" "$LPSIM" run tests/data/run/small.yaml -r 1 --strategy live_patch -q \
	--no-plots -o "$tmp/r1"
for c in timeline compliance downtime; do
	status 65 "plot $c --strategy that did not run" "$LPSIM" plot "$tmp/r1" --chart $c \
		--strategy classic -o "$tmp/r1/c.png" &&
		err_has "strategy that did not run" "the run has no classic results"
done
status 73 "plot output not creatable" "$LPSIM" plot $RUN --chart compliance -o "$tmp/none/x.png" &&
	err_has "output" "$tmp/none/x.png"

for a in shared own auto; do
	status 0 "plot timeline --time-axis $a" "$LPSIM" plot $RUN --chart timeline --time-axis $a \
		--window 30m -o "$tmp/tl-$a.png" && png "$tmp/tl-$a.png" 1200
done
cmp -s "$tmp/tl-shared.png" "$tmp/tl-own.png" && say "--time-axis shared and own drew the same" || ok
status 64 "plot --time-axis bad" "$LPSIM" plot $RUN --chart timeline --time-axis both &&
	err_has "--time-axis bad" "--time-axis wants auto, shared or own (got 'both')"

# ---- lpsim report --------------------------------------------------------------------------
status 0 "report of a run" "$LPSIM" report $RUN -o "$tmp/rep.pdf" --window 4h && pages "$tmp/rep.pdf" 6
if command -v pdftotext >/dev/null; then
	pdftotext "$tmp/rep.pdf" "$tmp/rep.txt"
	for want in "Capacity-planning report" "Compliance scan" "Live patch against classic" \
		"Findings" "maintenance window" "sql-01" "held back"; do
		grep -qi -- "$want" "$tmp/rep.txt" && ok || say "report lacks '$want'"
	done
else
	echo "plots.sh: skipped: the report's text (no pdftotext; poppler-utils, which make deps installs)"
fi
status 0 "report default output" "$LPSIM" report "$tmp/copy" && pages "$tmp/copy/report.pdf" 6
status 0 "report without the scenario" "$LPSIM" report $RUN --no-scenario -o "$tmp/rep2.pdf" && pages "$tmp/rep2.pdf" 6
status 0 "report of a sweep" "$LPSIM" report $D/sweep -o "$tmp/sweep.pdf" --window 4h && pages "$tmp/sweep.pdf" 6
status 64 "report bad window" "$LPSIM" report $RUN --window -1h
status 64 "report without directory" "$LPSIM" report
status 66 "report missing directory" "$LPSIM" report "$tmp/none"
status 65 "report malformed" "$LPSIM" report $D/bad-strategy -o "$tmp/x.pdf" &&
	err_has "report malformed" "compliance.csv:2: strategy 'quick_patch'"
[ -e "$tmp/x.pdf" ] && say "a failed report left a file" || ok
status 73 "report output not creatable" "$LPSIM" report $RUN -o "$tmp/none/r.pdf"
for ext in png svg txt; do
	status 64 "report -o r.$ext" "$LPSIM" report $RUN -o "$tmp/r.$ext" &&
		err_has "report -o r.$ext" "cannot write '$tmp/r.$ext': the report is a PDF (.pdf) or an HTML page (.html)"
	[ -e "$tmp/r.$ext" ] && say "report -o r.$ext wrote a file" || ok
done

echo "plots.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
