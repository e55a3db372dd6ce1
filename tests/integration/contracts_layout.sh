#!/usr/bin/env bash
# tests/integration/contracts_layout.sh — storage layouts of the proxied logic contracts against the
# snapshots committed in contracts/layout/<Contract>.tsv, so that an upgrade cannot shift a slot.
#
# The layout comes from `forge inspect <Contract> storageLayout --json` (one line per variable:
# slot, offset, label, type with AST ids removed). A layout passes when every variable of the
# snapshot keeps its slot, offset and type, and every gap (__gap/__GAP) keeps its last slot (a gap may
# shrink by the slots of variables added in front of it). Variables after the last snapshot slot are
# allowed too (appended). The script also checks that the comparison rejects a layout with one slot
# shifted, so this test can fail.
#
#   bash tests/integration/contracts_layout.sh            check (what `make test` runs)
#   bash tests/integration/contracts_layout.sh --update   rewrite the snapshots (review the diff!)
#
# Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FORGE=$ROOT/.tools/bin/forge
SNAP=$ROOT/contracts/layout
WORK=$(mktemp -d)
PASS=0
FAIL=0
trap 'rm -rf "$WORK"' EXIT INT TERM
ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
ko() { FAIL=$((FAIL + 1)); echo "FAIL $1"; }

# every contract deployed behind a Proxy (src/devnet/deploy.c, contracts/README.md "Deploy order")
CONTRACTS="MultiProverServiceManager TEELivenessVerifier RegistryCoordinator StakeRegistry BLSApkRegistry
IndexRegistry DelegationManager StrategyManager AVSDirectory StrategyBase"

[ -x "$FORGE" ] || { echo "contracts_layout: $FORGE missing (run scripts/setup)"; echo "0 passed, 1 failed"; exit 1; }
(cd "$ROOT/contracts" && "$FORGE" build --offline >"$WORK/build.log" 2>&1) \
  || { tail -20 "$WORK/build.log"; echo "0 passed, 1 failed"; exit 1; }
# artifacts cached before foundry.toml asked for storageLayout lack it: rebuild them once
if ! jq -e 'has("storageLayout")' "$ROOT/contracts/out/MultiProverServiceManager.sol/MultiProverServiceManager.json" >/dev/null 2>&1; then
  (cd "$ROOT/contracts" && "$FORGE" build --offline --force >"$WORK/build.log" 2>&1) \
    || { tail -20 "$WORK/build.log"; echo "0 passed, 1 failed"; exit 1; }
fi

# layout NAME > tsv: slot, offset, label, type (AST ids dropped: t_struct(Committee)4012_storage -> t_struct(Committee)_storage)
layout() {
  (cd "$ROOT/contracts" && "$FORGE" inspect --offline "$1" storageLayout --json) |
    jq -r '.storage[] | [.slot, (.offset | tostring), .label, .type] | @tsv' | sed -E 's/(t_struct|t_contract|t_enum)\(([^)]*)\)[0-9]+/\1(\2)/g'
}

# compatible OLD NEW: empty output when NEW keeps OLD's slots, else one line per problem
compatible() {
  awk -F'\t' '
    function gapsize(t) { if (match(t, /t_array\(t_uint256\)[0-9]+_storage/)) { s = substr(t, 19); return s + 0 } return -1 }
    FNR == NR { old[FNR] = $0; n = FNR; next }
    { cur[$1 "\t" $2 "\t" $3 "\t" $4] = 1; if ($3 ~ /^__(gap|GAP)$/) gapend[$3 "@" ($1 + gapsize($4))] = 1 }
    END {
      for (i = 1; i <= n; i++) {
        split(old[i], f, "\t")
        if (f[3] ~ /^__(gap|GAP)$/) {
          if (!((f[3] "@" (f[1] + gapsize(f[4]))) in gapend)) print "gap " f[3] " at slot " f[1] " no longer ends at slot " (f[1] + gapsize(f[4]))
        } else if (!(old[i] in cur)) {
          print "variable " f[3] " (slot " f[1] ", offset " f[2] ", " f[4] ") moved or changed"
        }
      }
    }' "$1" "$2"
}

mkdir -p "$SNAP"
for c in $CONTRACTS; do
  if ! layout "$c" >"$WORK/$c.tsv" 2>"$WORK/$c.err" || [ ! -s "$WORK/$c.tsv" ]; then
    ko "$c: forge inspect failed: $(tail -3 "$WORK/$c.err")"; continue
  fi
  if [ "${1:-}" = --update ]; then cp "$WORK/$c.tsv" "$SNAP/$c.tsv"; ok "$c: snapshot written"; continue; fi
  if [ ! -f "$SNAP/$c.tsv" ]; then ko "$c: no snapshot $SNAP/$c.tsv (run with --update)"; continue; fi
  grep -Eq $'\t__(gap|GAP)\t' "$WORK/$c.tsv" || { ko "$c: no storage gap"; continue; }
  problems=$(compatible "$SNAP/$c.tsv" "$WORK/$c.tsv")
  if [ -n "$problems" ]; then ko "$c: storage layout incompatible with contracts/layout/$c.tsv:"; echo "$problems" | sed 's/^/       /'
  elif cmp -s "$SNAP/$c.tsv" "$WORK/$c.tsv"; then ok "$c: storage layout = snapshot ($(wc -l <"$WORK/$c.tsv") variables)"
  else ok "$c: storage layout compatible with its snapshot (variables added in a gap; run --update to record them)"; fi
done

# the comparison rejects a layout whose variables after the first moved down one slot
c=MultiProverServiceManager
if [ -s "$WORK/$c.tsv" ]; then
  awk -F'\t' 'BEGIN { OFS = "\t" } NR > 1 { $1 = $1 + 1 } { print }' "$WORK/$c.tsv" >"$WORK/shifted.tsv"
  [ -n "$(compatible "$WORK/$c.tsv" "$WORK/shifted.tsv")" ] && ok "a layout shifted by one slot is rejected" || ko "shifted layout accepted"
  # ... and accepts one that adds a variable in front of the last gap, shrinking it by one slot
  awk -F'\t' 'BEGIN { OFS = "\t" } { line[NR] = $0; n = NR }
    END { for (i = 1; i < n; i++) print line[i]; split(line[n], f, "\t"); k = substr(f[4], 19) + 0
          print f[1], 0, "addedLater", "t_uint256"; print f[1] + 1, 0, f[3], "t_array(t_uint256)" (k - 1) "_storage" }' \
    "$WORK/$c.tsv" >"$WORK/grown.tsv"
  [ -z "$(compatible "$WORK/$c.tsv" "$WORK/grown.tsv")" ] && ok "a variable added in the last gap is accepted" || ko "gap use rejected: $(compatible "$WORK/$c.tsv" "$WORK/grown.tsv")"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
