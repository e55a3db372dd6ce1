#!/usr/bin/env bash
# tests/integration/cli_consistency.sh — one help format and one version line for every binary
# (issue 16 item 6): `--help` of the mpavs CLI and of each daemon prints a man-style page with
# NAME, SYNOPSIS, DESCRIPTION, OPTIONS and EXIT STATUS in that order on stdout and exits 0, and
# the EXIT STATUS section names the codes 0, 1 and 2; `--version` prints exactly one line
# "<program> <x.y.z> (libmpavs <x.y.z>, <build id>)" with the same release everywhere; an
# unknown argument exits 2; every command group of `mpavs --help`, nested groups included, prints the
# same page (its subcommand table under DESCRIPTION), and so does every leaf command. No network;
# about 2 s.
# Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=$ROOT/build
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
ko() { FAIL=$((FAIL + 1)); echo "FAIL $1"; }

releases=()
for prog in mpavs mpavs-prover mpavs-operator mpavs-aggregator; do
    bin=$B/$prog
    [ -x "$bin" ] || { ko "$prog: $bin missing (make first)"; continue; }
    help=$("$bin" --help 2>/dev/null)
    rc=$?
    [ $rc -eq 0 ] && ok "$prog --help exits 0" || ko "$prog --help exits $rc"
    order=$(printf '%s\n' "$help" | grep -E '^(NAME|SYNOPSIS|DESCRIPTION|OPTIONS|EXIT STATUS)$' | tr '\n' ',')
    [ "$order" = "NAME,SYNOPSIS,DESCRIPTION,OPTIONS,EXIT STATUS," ] && ok "$prog --help sections" ||
        ko "$prog --help sections: got '$order'"
    sed -n '/^NAME$/{n;p}' <<<"$help" | grep -qE "^    $prog - " && ok "$prog NAME line" ||
        ko "$prog NAME line"
    status=$(printf '%s\n' "$help" | sed -n '/^EXIT STATUS$/,/^[A-Z]/p')
    if grep -qw 0 <<<"$status" && grep -qw 1 <<<"$status" && grep -qw 2 <<<"$status"; then
        ok "$prog EXIT STATUS names 0, 1, 2"
    else
        ko "$prog EXIT STATUS names 0, 1, 2: $status"
    fi
    ver=$("$bin" --version 2>/dev/null)
    rc=$?
    lines=$(printf '%s\n' "$ver" | wc -l)
    if [ $rc -eq 0 ] && [ "$lines" -eq 1 ] &&
        [[ "$ver" =~ ^$prog\ ([0-9]+\.[0-9]+\.[0-9]+)\ \(libmpavs\ ([0-9]+\.[0-9]+\.[0-9]+),\ [^\ \)]+\)$ ]]; then
        ok "$prog --version: $ver"
        releases+=("${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}")
    else
        ko "$prog --version (rc $rc): '$ver'"
    fi
    "$bin" --no-such-option >/dev/null 2>&1
    rc=$?
    [ $rc -eq 2 ] && ok "$prog unknown option exits 2" || ko "$prog unknown option exits $rc"
done
# every command group and every leaf command, walked from `mpavs --help` down through each
# group's table (nested groups such as `operator keys` and `avs <group>` too): `<path> --help`
# exits 0 and prints the man-style page with the NAME line "    mpavs <path> - ..." and an EXIT
# STATUS section naming 0, 1 and 2; a group's SYNOPSIS is "mpavs <path> <command> [options]" and
# its table lists its subcommands.
check_page() { # $1 path, $2 help text, $3 rc
    local order
    order=$(printf '%s\n' "$2" | grep -E '^(NAME|SYNOPSIS|DESCRIPTION|OPTIONS|EXIT STATUS)$' | tr '\n' ',')
    [ "$3" -eq 0 ] && [ "$order" = "NAME,SYNOPSIS,DESCRIPTION,OPTIONS,EXIT STATUS," ] && ok "mpavs $1 --help sections" ||
        ko "mpavs $1 --help (rc $3): '$order'"
    sed -n '/^NAME$/{n;p}' <<<"$2" | grep -qE "^    mpavs $1 - [^ ]" && ok "mpavs $1 NAME line" ||
        ko "mpavs $1 NAME line: $(printf '%s\n' "$2" | sed -n '/^NAME$/{n;p}')"
    local status
    status=$(printf '%s\n' "$2" | sed -n '/^EXIT STATUS$/,/^[A-Z]/p' | sed 1d)
    grep -qw 0 <<<"$status" && grep -qw 1 <<<"$status" && grep -qw 2 <<<"$status" &&
        ok "mpavs $1 EXIT STATUS names 0, 1, 2" || ko "mpavs $1 EXIT STATUS: $status"
}
ngroups=0
nleaves=0
walk() { # $1 the command path below mpavs ("" for the top)
    local help rc subs s
    help=$("$B/mpavs" $1 --help 2>/dev/null)
    rc=$?
    if [ -n "$1" ]; then check_page "$1" "$help" "$rc"; fi
    if [ -n "$1" ] && ! grep -q "^    mpavs $1 <command> \[options\]$" <<<"$help"; then
        nleaves=$((nleaves + 1))
        return
    fi
    [ -n "$1" ] && ngroups=$((ngroups + 1))
    subs=$(printf '%s\n' "$help" | sed -n '/^DESCRIPTION$/,/^OPTIONS$/p' | awk '/^      [a-z][a-z0-9-]* /{print $1}')
    [ -n "$subs" ] || ko "mpavs $1: no subcommands listed"
    for s in $subs; do walk "${1:+$1 }$s"; done
}
walk ""
[ "$ngroups" -ge 20 ] && ok "$ngroups command groups walked" || ko "only $ngroups command groups walked"
[ "$nleaves" -ge 60 ] && ok "$nleaves leaf commands walked" || ko "only $nleaves leaf commands walked"
uniq=$(printf '%s\n' "${releases[@]}" | sort -u | wc -l)
[ "$uniq" -eq 1 ] && ok "one release in every --version (${releases[0]:-})" || ko "releases differ: ${releases[*]}"
want=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
[ "${releases[0]:-}" = "$want" ] && ok "release matches the Makefile's VERSION ($want)" || ko "Makefile VERSION $want"

echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
