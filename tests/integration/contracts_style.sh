#!/usr/bin/env bash
# tests/integration/contracts_style.sh — the shape rules of contracts/src (contracts/README.md
# "Source layout"), checked on the sources:
#   - no `require` with a string and no `revert("...")`: custom errors only;
#   - src/interfaces/: one interface per file, named as the file, and nothing else;
#   - NatSpec (a `///` line right above) on every event, every error and every external or public
#     function, fallback and receive;
#   - every proxied contract (the list of contracts_layout.sh) inherits <Name>Storage, which ends its
#     state with a `__GAP`.
# Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SRC=$ROOT/contracts/src
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
ko() { FAIL=$((FAIL + 1)); echo "FAIL $1"; }

mapfile -t FILES < <(find "$SRC" -name '*.sol' | sort)
[ ${#FILES[@]} -gt 0 ] || { echo "contracts_style: no sources in $SRC"; echo "0 passed, 1 failed"; exit 1; }

bad=$(grep -nE 'require\([^;]*"|revert\("' "${FILES[@]}" | sed "s|$ROOT/||")
[ -z "$bad" ] && ok "custom errors only (${#FILES[@]} files)" || ko "require/revert strings:
$bad"

bad=""
for f in "$SRC"/interfaces/*.sol; do
  name=$(basename "$f" .sol)
  decls=$(grep -cE '^(abstract )?(contract|library|interface) ' "$f")
  grep -qE "^interface $name( is [A-Za-z, ]+)? \{" "$f" && [ "$decls" -eq 1 ] || bad="$bad ${f#"$ROOT"/}"
done
[ -z "$bad" ] && ok "one interface per file in contracts/src/interfaces" || ko "interface files with other or more declarations:$bad"

undocumented=$(awk '
  FNR == 1 { prev = ""; infn = 0 }
  {
    line = $0
    if (infn) {                                   # a function header spanning lines: find its visibility
      hdr = hdr " " line
      if (line ~ /[{;]/) { infn = 0; if (hdr ~ /[) ](external|public)[ ({;]/ && !doc) print FILENAME ":" start ": " name }
    } else if (line ~ /^[ \t]*(event|error) [A-Za-z_]/) {
      if (prev !~ /^[ \t]*\/\/\//) { n = line; sub(/^[ \t]*/, "", n); print FILENAME ":" FNR ": " n }
    } else if (line ~ /^[ \t]*(fallback|receive)\(/) {
      if (prev !~ /^[ \t]*\/\/\//) print FILENAME ":" FNR ": fallback/receive"
    } else if (line ~ /^[ \t]*function [A-Za-z_]/) {
      doc = (prev ~ /^[ \t]*\/\/\//); start = FNR; name = line; sub(/^[ \t]*/, "", name); sub(/\(.*/, "", name)
      hdr = line
      if (line ~ /[{;]/) { if (hdr ~ /[) ](external|public)[ ({;]/ && !doc) print FILENAME ":" start ": " name }
      else infn = 1
    }
    if (line !~ /^[ \t]*$/) prev = line
  }' "${FILES[@]}" | sed "s|$ROOT/||")
[ -z "$undocumented" ] && ok "NatSpec on every event, error and external/public function" || ko "without NatSpec:
$undocumented"

bad=""
for c in MultiProverServiceManager TEELivenessVerifier RegistryCoordinator StakeRegistry BLSApkRegistry IndexRegistry \
         DelegationManager StrategyManager AVSDirectory StrategyBase BLSSignatureChecker; do
  f=$(grep -lE "^contract $c is" "${FILES[@]}")
  s=$(dirname "$f")/${c}Storage.sol
  # the inheritance list may span lines: from "contract <Name> is" to the first "{"
  bases=$([ -n "$f" ] && awk -v c="$c" '$0 ~ "^contract " c " is" { on = 1 } on { print } on && /\{/ { exit }' "$f")
  if [ -z "$f" ] || ! grep -qE "\b${c}Storage\b" <<<"$bases" || [ ! -f "$s" ] ||
     ! grep -qE 'uint256\[[0-9]+\] private __GAP;' "$s"; then bad="$bad $c"; fi
done
[ -z "$bad" ] && ok "every proxied contract keeps its state in <Name>Storage ending in __GAP" || ko "storage contract or gap missing:$bad"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
