#!/bin/sh
# Command-line options (issue 19, "Command line"): a duration without a unit
# is refused with the argument named and a hint, never read as seconds; a
# short option means one thing in every command.
: "${LPSIM:=./lpsim}"
T=options.sh
. tests/cli/lib.inc
# has FILE TEXT WHAT: FILE holds TEXT (a fixed string).
has() { if grep -qF -- "$2" "$1"; then ok; else say "$3: no '$2' in:"; show "$1"; fi; }

"$LPSIM" run scenarios/default.yaml -o "$tmp/d" -r 2 -q >/dev/null 2>&1 || say "run default failed"

for cmd in plan report plot; do
	case $cmd in
	plan) set -- plan scenarios/default.yaml --param remediation.parallel.max_hosts=1 -r 2 -q ;;
	*) set -- "$cmd" "$tmp/d" -o "$tmp/x.pdf" ;;
	esac
	[ "$cmd" = plot ] && set -- plot "$tmp/d" --chart timeline -o "$tmp/x.png"
	if status 64 "$cmd --window 90" "$LPSIM" "$@" --window 90; then
		has "$tmp/err" "lpsim: $cmd: --window 90: a duration needs a unit, e.g. 90m or 90s" "$cmd --window 90"
	fi
	if status 64 "$cmd -w 1.5" "$LPSIM" "$@" -w 1.5; then
		has "$tmp/err" "lpsim: $cmd: --window 1.5: a duration needs a unit, e.g. 1.5m or 1.5s" "$cmd -w 1.5"
	fi
	if status 64 "$cmd --window 4x" "$LPSIM" "$@" --window 4x; then
		has "$tmp/err" "lpsim: $cmd: --window 4x: not a duration" "$cmd --window 4x"
	fi
	if status 64 "$cmd --window 0m" "$LPSIM" "$@" --window 0m; then
		has "$tmp/err" "lpsim: $cmd: --window 0m: not a duration (not above zero)" "$cmd --window 0m"
	fi
done
# With a unit, each is accepted (the scan-free plot and report are quick).
status 0 "report --window 90m" "$LPSIM" report "$tmp/d" -o "$tmp/r.pdf" --window 90m
status 0 "plot -w 1h30m" "$LPSIM" plot "$tmp/d" --chart timeline -o "$tmp/t.png" -w 1h30m

# One meaning per short option: the letters each command's --help lists
# (as "  -X, --long") must name the same long option everywhere.
for cmd in run sweep plan plot report scan validate merge import bench; do
	"$LPSIM" $cmd --help 2>/dev/null | sed -n 's/^ *-\([A-Za-z]\), --\([a-z-]*\).*/\1 \2/p' |
		sed "s/\$/ $cmd/"
done | sort -u >"$tmp/short"
awk '{ if (($1 in l) && l[$1] != $2) { print "-" $1 " is --" l[$1] " in " c[$1] " but --" $2 " in " $3; bad = 1 }
       l[$1] = $2; c[$1] = $3 } END { exit bad }' "$tmp/short" >"$tmp/clash" && ok || { say "a short option with two meanings:"; show "$tmp/clash"; }
[ -s "$tmp/short" ] && ok || say "no short options found in any --help"
# Each listed short option is really accepted (getopt agrees with --help) ...
grep -q '^c confidence plan$' "$tmp/short" && ok || { say "plan -c is not --confidence"; show "$tmp/short"; }
# ... and plot's old -c (chart) says what to use now.
if status 64 "plot -c" "$LPSIM" plot "$tmp/d" -c timeline; then
	has "$tmp/err" "the chart is --chart KIND" "plot -c"
fi
status 64 "bench -p (not --param)" "$LPSIM" bench -p 10
# import vcenter --timeout: seconds are its documented unit; a duration works too.
if status 64 "import vcenter --timeout 2h" "$LPSIM" import vcenter https://127.0.0.1:1/ --timeout 2h -o "$tmp/v.yaml"; then
	has "$tmp/err" "--timeout wants a whole number of seconds (the documented unit) or a duration, 1s..1h (got '2h')" "timeout 2h"
fi

echo "$T: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
