# bash completion for lpsim(1). Installed by `make install` into
# PREFIX/share/bash-completion/completions/lpsim. The options per command
# are kept equal to each command's --help by tests/cli/install.sh.
_lpsim_options() {
	case $1 in
	run) echo "--output --replications --seed --strategy --jobs --no-plots --all-replications --precision --max-replications --shard --quiet --help" ;;
	validate) echo "--verbose --json --help" ;;
	scan) echo "--json --strategy --fail-on --help" ;;
	sweep) echo "--param --output --replications --seed --strategy --jobs --shard --no-plots --quiet --help" ;;
	plan) echo "--window --metric --scope --confidence --param --replications --seed --strategy --jobs --quiet --json --help" ;;
	report) echo "--output --window --no-scenario --help" ;;
	plot) echo "--chart --output --window --strategy --replication --lanes --time-axis --metric --axis --width --format --help" ;;
	merge) echo "--output --quiet --help" ;;
	import) echo "rvtools powercli vcenter --output --name --vhost --vnetwork --vdisk --hosts --vcluster --vdatastore --vsource --credentials --ca-file --insecure --timeout --page-size --help" ;;
	bench) echo "--pending --events --seed --help" ;;
	esac
}

_lpsim() {
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		mapfile -t COMPREPLY < <(compgen -W "run validate scan sweep plan report plot merge import bench --help --version" -- "$cur")
		return
	fi
	cmd=${COMP_WORDS[1]}
	case $prev in
	--strategy) mapfile -t COMPREPLY < <(compgen -W "live_patch classic both" -- "$cur"); return ;;
	--chart) mapfile -t COMPREPLY < <(compgen -W "timeline compliance downtime sweep" -- "$cur"); return ;;
	--fail-on) mapfile -t COMPREPLY < <(compgen -W "blocked incompatible none" -- "$cur"); return ;;
	--metric | -m) [ "$cmd" = plan ] && { mapfile -t COMPREPLY < <(compgen -W "makespan compliance" -- "$cur"); return; } ;;
	--lanes) mapfile -t COMPREPLY < <(compgen -W "auto hosts clusters" -- "$cur"); return ;;
	--time-axis) mapfile -t COMPREPLY < <(compgen -W "auto shared own" -- "$cur"); return ;;
	--format) mapfile -t COMPREPLY < <(compgen -W "png svg pdf" -- "$cur"); return ;;
	--window | -w) mapfile -t COMPREPLY < <(compgen -W "30m 1h 2h 4h 8h" -- "$cur"); return ;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_lpsim_options "$cmd")" -- "$cur")
		return
	fi
	case $cmd in
	report | plot | merge) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
	*) mapfile -t COMPREPLY < <(compgen -f -X '!*.@(yaml|yml|csv)' -- "$cur"; compgen -d -- "$cur") ;;
	esac
}
complete -F _lpsim lpsim
