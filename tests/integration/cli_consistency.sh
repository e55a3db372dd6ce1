#!/usr/bin/env bash
# tests/integration/cli_consistency.sh — one help format and one version line for every binary
# (issue 16 item 6): `--help` of the mpavs CLI and of each daemon prints a man-style page with
# NAME, SYNOPSIS, DESCRIPTION, OPTIONS and EXIT STATUS in that order on stdout and exits 0, and
# the EXIT STATUS section names the codes 0, 1 and 2; `--version` prints exactly one line
# "<program> <x.y.z> (libmpavs <x.y.z>, <build id>)" with the same release everywhere; an
# unknown argument exits 2; every command group of `mpavs --help` (and `operator keys`) prints the
# same page (its subcommand table under DESCRIPTION). No network; well under 1 s.
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
    printf '%s\n' "$help" | sed -n '/^NAME$/{n;p}' | grep -qE "^    $prog - " && ok "$prog NAME line" ||
        ko "$prog NAME line"
    status=$(printf '%s\n' "$help" | sed -n '/^EXIT STATUS$/,/^[A-Z]/p')
    if printf '%s' "$status" | grep -qw 0 && printf '%s' "$status" | grep -qw 1 && printf '%s' "$status" | grep -qw 2; then
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
# every command group (its table of subcommands) and the commands with a man-style page of their own
groups=$("$B/mpavs" --help | sed -n '/^DESCRIPTION$/,/^OPTIONS$/p' | awk '/^      [a-z]+ /{print $1}')
ng=0
for g in $groups; do
  "$B/mpavs" "$g" --help 2>/dev/null | grep -q '^    mpavs '"$g"' <command> \[options\]$' && ng=$((ng + 1)) && set -- "$@" "$g"
done
[ "$ng" -ge 10 ] && ok "$ng command groups found in mpavs --help" || ko "only $ng command groups found: $groups"
for sub in "$@" "operator keys" "devnet up" "state get" "state watch"; do
    help=$("$B/mpavs" $sub --help 2>/dev/null)
    rc=$?
    order=$(printf '%s\n' "$help" | grep -E '^(NAME|SYNOPSIS|DESCRIPTION|OPTIONS|EXIT STATUS)$' | tr '\n' ',')
    [ $rc -eq 0 ] && [ "$order" = "NAME,SYNOPSIS,DESCRIPTION,OPTIONS,EXIT STATUS," ] && ok "mpavs $sub --help sections" ||
        ko "mpavs $sub --help (rc $rc): '$order'"
    printf '%s\n' "$help" | grep -qE "^    mpavs $sub - " && ok "mpavs $sub NAME line" || ko "mpavs $sub NAME line"
done
uniq=$(printf '%s\n' "${releases[@]}" | sort -u | wc -l)
[ "$uniq" -eq 1 ] && ok "one release in every --version (${releases[0]:-})" || ko "releases differ: ${releases[*]}"
want=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
[ "${releases[0]:-}" = "$want" ] && ok "release matches the Makefile's VERSION ($want)" || ko "Makefile VERSION $want"

echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
