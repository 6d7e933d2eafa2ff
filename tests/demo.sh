#!/bin/sh
# make demo: what a new user sees first: the shipped scenarios validated,
# the compliance scan of the default scenario, then its simulation (live
# patch against classic, 30 replications) with the results directory.
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
echo "Results in lpsim-out/default/: summary.json, summary.txt, hosts.csv, vms.csv,"
echo "timeline.csv, compliance.csv (README.md says what each holds)."
