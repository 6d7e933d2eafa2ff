#!/bin/sh
# make install / make uninstall into a temporary DESTDIR (issue 19): the
# binary, lpsim(1) (clean under `mandoc -T lint`, else `man --warnings`),
# bash and zsh completion (whose options are each command's --help), the
# docs, the shipped scenarios and the schemas; uninstall leaves no file.
: "${LPSIM:=./lpsim}"
T=install.sh
. tests/cli/lib.inc
D=$tmp/dest
P=/usr/local

if make -s install DESTDIR="$D" PREFIX=$P >"$tmp/make" 2>&1; then ok; else say "make install failed"; show "$tmp/make"; fi
for f in bin/lpsim share/man/man1/lpsim.1 share/bash-completion/completions/lpsim \
	share/zsh/site-functions/_lpsim share/doc/lpsim/README.md share/doc/lpsim/FORMAT.md \
	share/doc/lpsim/SEMANTICS.md share/lpsim/scenarios/default.yaml \
	share/lpsim/schemas/validate.schema.json share/lpsim/schemas/plan.schema.json; do
	[ -f "$D$P/$f" ] && ok || say "not installed: $P/$f"
done
n=$(ls scenarios/*.yaml | wc -l)
[ "$(ls "$D$P/share/lpsim/scenarios/"*.yaml | wc -l)" -eq "$n" ] && ok || say "not every shipped scenario installed"
"$D$P/bin/lpsim" validate "$D$P/share/lpsim/scenarios/default.yaml" >/dev/null 2>&1 && ok || say "the installed lpsim does not validate the installed default.yaml"

# The man page: lint-clean, and it renders with the commands in it.
M=$D$P/share/man/man1/lpsim.1
if command -v mandoc >/dev/null 2>&1; then
	mandoc -T lint -W warning "$M" >"$tmp/lint" 2>&1 && [ ! -s "$tmp/lint" ] && ok || { say "mandoc -T lint"; show "$tmp/lint"; }
	mandoc -T ascii "$M" | col -b >"$tmp/man"
else
	man --warnings -l "$M" 2>"$tmp/lint" | col -b >"$tmp/man"
	[ -s "$tmp/lint" ] && { say "man --warnings"; show "$tmp/lint"; } || ok
fi
for c in run validate scan sweep plan report plot merge import bench; do
	grep -q "^     $c " "$tmp/man" && ok || say "lpsim(1) does not describe $c"
done
grep -q "a duration needs a unit\|A duration needs a unit" "$tmp/man" && ok || say "lpsim(1) says nothing of durations"

# bash completion: the commands, a command's options, an option's values.
B=$D$P/share/bash-completion/completions/lpsim
comp() { # WORDS...: the candidates for the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _lpsim; printf "%s\n" "${COMPREPLY[@]}"' sh "$B" "$@" | sort | tr '\n' ' '
}
[ "$(comp lpsim pl)" = "plan plot " ] && ok || say "bash: 'lpsim pl' completes to '$(comp lpsim pl)'"
[ "$(comp lpsim plan --w)" = "--window " ] && ok || say "bash: 'lpsim plan --w' completes to '$(comp lpsim plan --w)'"
[ "$(comp lpsim scan x.yaml --fail-on "")" = "blocked incompatible none " ] && ok || say "bash: --fail-on values"
# Each command's options in the completion are the ones its --help defines.
for c in run validate scan sweep plan report plot merge bench; do
	"$LPSIM" $c --help 2>&1 | sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u >"$tmp/help"
	grep -q -- --help "$tmp/help" || echo --help >>"$tmp/help"
	sort -u "$tmp/help" -o "$tmp/help"
	comp lpsim "$c" - | tr ' ' '\n' | sed '/^$/d' | sort -u >"$tmp/comp"
	cmp -s "$tmp/help" "$tmp/comp" && ok || { say "bash completion of $c differs from its --help (< help, > completion)"; diff "$tmp/help" "$tmp/comp" | head; }
	sed -n "s/^	$c) opts=(\(.*\)) ;;\$/\1/p" "$D$P/share/zsh/site-functions/_lpsim" | tr ' ' '\n' | sort -u >"$tmp/zsh"
	cmp -s "$tmp/comp" "$tmp/zsh" && ok || { say "zsh completion of $c differs from bash's"; diff "$tmp/comp" "$tmp/zsh" | head; }
done
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$D$P/share/zsh/site-functions/_lpsim" && ok || say "zsh -n _lpsim"
fi

if make -s uninstall DESTDIR="$D" PREFIX=$P >"$tmp/make" 2>&1; then ok; else say "make uninstall failed"; show "$tmp/make"; fi
find "$D" -type f >"$tmp/left"
[ -s "$tmp/left" ] && { say "make uninstall left files"; show "$tmp/left"; } || ok

echo "$T: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
