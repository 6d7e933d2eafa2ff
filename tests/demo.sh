#!/bin/sh
# make demo: what a new user sees first.
LPSIM=$1
set -e
echo "== lpsim $($LPSIM --version | cut -d' ' -f2): validating the shipped scenarios"
$LPSIM validate scenarios/*.yaml
echo
echo "== the event kernel: hold model, 10^5 pending events"
$LPSIM bench --pending 100000 --events 10000000
