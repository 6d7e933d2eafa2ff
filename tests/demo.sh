#!/bin/sh
# make demo: what a new user sees first: the shipped scenarios validated,
# the compliance scan of the default scenario, then its simulation (live
# patch against classic, 30 replications) with the results directory, its
# charts and the capacity-planning report.
LPSIM=$1
set -e
echo "== lpsim $($LPSIM --version | cut -d' ' -f2): the shipped scenarios"
$LPSIM validate scenarios/*.yaml
echo
echo "== compliance scan of scenarios/default.yaml"
$LPSIM scan scenarios/default.yaml | head -n 40
echo
echo "== lpsim run scenarios/default.yaml -o lpsim-out/default"
$LPSIM run scenarios/default.yaml -o lpsim-out/default
echo
echo "== lpsim report lpsim-out/default -o lpsim-out/default/report.pdf --window 2h"
$LPSIM report lpsim-out/default -o lpsim-out/default/report.pdf --window 2h
echo
echo "Results in lpsim-out/default/: summary.json, summary.txt, the CSVs, timeline.png,"
echo "compliance.png, downtime.png and report.pdf (README.md says what each holds)."
