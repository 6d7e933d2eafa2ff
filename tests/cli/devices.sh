#!/bin/sh
# shellcheck disable=SC2015 # "A && ok || say": ok always succeeds
# devices.sh: outputs that are not regular files are written in place, never
# replaced (sim/atomicio.h): `lpsim import`, `report` and `plot` with -o
# naming a character device (a copy of /dev/null made with mknod, as root,
# and /dev/null itself), a FIFO, a symbolic link to either, a symbolic link
# to a regular file (the link stays a link), and - (standard output).
# Directories are refused (73). Run from the repository root with LPSIM set.
: "${LPSIM:=./lpsim}"
case $LPSIM in /*) ;; *) LPSIM=$(pwd)/$LPSIM ;; esac
S=tests/data/run/small.yaml
V=tests/data/import/prod-vinfo.csv
T=devices.sh
# shellcheck source=tests/cli/lib.inc
. "$(dirname "$0")/lib.inc"

r=$tmp/run
"$LPSIM" run "$S" -o "$r" -r 2 -j 1 --quiet || say "the run to report on failed"

# magic FILE WANT WHAT: FILE starts with the bytes WANT.
magic() {
	got=$(head -c "${#2}" "$1" 2>/dev/null)
	[ "$got" = "$2" ] && ok || say "$3: starts with '$got', want '$2'"
}

# each_writer TARGET WHAT: import, report and plot all write to TARGET and exit 0.
each_writer() {
	status 0 "import -o $2" "$LPSIM" import rvtools "$V" -o "$1"
	status 0 "report -o $2" "$LPSIM" report "$r" -o "$1" --no-scenario
	status 0 "plot -o $2" "$LPSIM" plot "$r" --chart compliance -o "$1" --format png
}

# ---- character devices ----------------------------------------------------------
if mknod "$tmp/null" c 1 3 2>/dev/null; then
	each_writer "$tmp/null" "a copy of /dev/null"
	[ -c "$tmp/null" ] && ok || say "the copy of /dev/null is no longer a character device"
	ln -s "$tmp/null" "$tmp/null-link"
	each_writer "$tmp/null-link" "a link to a copy of /dev/null"
	[ -L "$tmp/null-link" ] && [ -c "$tmp/null" ] && ok ||
		say "the link to the copy of /dev/null, or the copy, was replaced"
	ls -A "$tmp" | grep -q '\.tmp\.' && say "temporaries left beside the device" || ok
	# The real one (the others passed, so nothing here replaces it).
	if [ -c "$tmp/null" ]; then
		status 0 "report -o /dev/null" "$LPSIM" report "$r" -o /dev/null --no-scenario
		[ -c /dev/null ] && ok || say "/dev/null is no longer a character device"
	fi
else
	echo "devices.sh: not root: the device tests are skipped"
fi

# ---- FIFOs ---------------------------------------------------------------------
mkfifo "$tmp/fifo"
for w in import report plot; do
	# a reader that gives up: a writer that never opens the FIFO must fail
	# the test, not hang it
	timeout 60 cat "$tmp/fifo" >"$tmp/from-fifo" &
	catpid=$!
	case $w in
	import) status 0 "import -o FIFO" "$LPSIM" import rvtools "$V" -o "$tmp/fifo"; want="# " ;;
	report) status 0 "report -o FIFO" "$LPSIM" report "$r" -o "$tmp/fifo" --no-scenario; want=%PDF- ;;
	plot) status 0 "plot -o FIFO" "$LPSIM" plot "$r" --chart compliance -o "$tmp/fifo" --format svg
	      want="<?xml" ;;
	esac
	wait "$catpid"
	magic "$tmp/from-fifo" "$want" "$w -o FIFO"
	[ -p "$tmp/fifo" ] && ok || say "$w -o FIFO: the FIFO was replaced"
done

# ---- standard output -------------------------------------------------------------
status 0 "report -o -" "$LPSIM" report "$r" -o - --no-scenario && magic "$tmp/out" %PDF- "report -o -"
status 0 "plot -o -" "$LPSIM" plot "$r" --chart downtime -o - && magic "$tmp/out" "$(printf '\211PNG')" "plot -o -"
status 0 "plot -o - --format pdf" "$LPSIM" plot "$r" --chart downtime -o - --format pdf &&
	magic "$tmp/out" %PDF- "plot -o - --format pdf"
status 0 "import -o -" "$LPSIM" import rvtools "$V" -o - && magic "$tmp/out" "# " "import -o -"
[ -e ./- ] && say "a file named '-' was made" || ok
status 64 "plot --format gif" "$LPSIM" plot "$r" --chart downtime -o - --format gif

# ---- a link to a regular file stays a link ----------------------------------------
: >"$tmp/real.pdf"
ln -s "$tmp/real.pdf" "$tmp/link.pdf"
status 0 "report -o LINK" "$LPSIM" report "$r" -o "$tmp/link.pdf" --no-scenario
[ -L "$tmp/link.pdf" ] && ok || say "report -o LINK: the link was replaced"
magic "$tmp/real.pdf" %PDF- "report -o LINK: the file the link names"

# ---- directories are refused -----------------------------------------------------
mkdir "$tmp/adir"
status 73 "report -o DIR" "$LPSIM" report "$r" -o "$tmp/adir" --no-scenario
grep -q "adir: Is a directory" "$tmp/err" && ok || { say "report -o DIR: message"; show "$tmp/err"; }

echo "devices.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
