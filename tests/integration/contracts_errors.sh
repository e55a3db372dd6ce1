#!/usr/bin/env bash
# tests/integration/contracts_errors.sh — every custom error of contracts/src (from the forge
# artifacts' ABIs) is in the C library's revert-decoding table (a "Name(types)" string literal under
# src/), so that the CLI, the daemons and the tests print a revert by name rather than as hex.
# Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FORGE=$ROOT/.tools/bin/forge
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM
PASS=0
FAIL=0

[ -x "$FORGE" ] || { echo "contracts_errors: $FORGE missing (run scripts/setup)"; echo "0 passed, 1 failed"; exit 1; }
(cd "$ROOT/contracts" && "$FORGE" build --offline >"$WORK/build.log" 2>&1) \
  || { tail -20 "$WORK/build.log"; echo "0 passed, 1 failed"; exit 1; }

for f in "$ROOT"/contracts/out/*.sol/*.json; do
  src=$(jq -r '.metadata.settings.compilationTarget // {} | keys[0] // ""' "$f")
  case "$src" in src/test/*) continue ;; src/*) ;; *) continue ;; esac
  jq -r '.abi[] | select(.type == "error") | .name + "(" + ([.inputs[].type] | join(",")) + ")"' "$f"
done | sort -u >"$WORK/errors"

grep -rhoE --include='*.c' '"[A-Za-z_][A-Za-z0-9_]*\([][a-z0-9,]*\)"' "$ROOT/src" | tr -d '"' | sort -u >"$WORK/table"
missing=$(comm -23 "$WORK/errors" "$WORK/table")
n=$(wc -l <"$WORK/errors")
if [ "$n" -gt 0 ] && [ -z "$missing" ]; then PASS=1; echo "ok   all $n custom errors of contracts/src are decoded by name"
else FAIL=1; echo "FAIL custom errors missing from the C decoding table: $(echo $missing)"; fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
