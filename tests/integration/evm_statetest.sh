#!/usr/bin/env bash
# tests/integration/evm_statetest.sh — the Ethereum state tests (../shared/vectors/ethtests:
# GeneralStateTests and EIPTests/StateTests, every Cancun and Prague post entry) through
# `mpavs evm statetest`. A failing case must be listed in tests/evm/statetest_known_failures.txt
# (NAME FORK dN/gN/vN|* REASON); a listed case that passes now also fails this test, so the list only
# shrinks. Prints pass/fail/skip counts per fork and directory and ends with "N passed, N failed"
# (N = cases). About 2 minutes on one core.
#
# Not run, for time only: stTimeConsuming/CALLBlake2f_MaxRounds.json (one BLAKE2F call with
# 2^32-1 rounds, minutes of hashing on one core); STATETEST_ALL=1 runs it too.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MPAVS=${MPAVS:-$ROOT/build/mpavs}
VEC=${ETHTESTS:-$ROOT/../shared/vectors/ethtests}
KNOWN=$ROOT/tests/evm/statetest_known_failures.txt
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM

[ -x "$MPAVS" ] || { echo "evm_statetest: $MPAVS not built"; echo "0 passed, 1 failed"; exit 1; }
[ -d "$VEC/GeneralStateTests" ] || { echo "evm_statetest: no fixtures at $VEC"; echo "0 passed, 1 failed"; exit 1; }
[ -f "$KNOWN" ] || { echo "evm_statetest: $KNOWN missing"; echo "0 passed, 1 failed"; exit 1; }
cp "$MPAVS" "$WORK/mpavs" && MPAVS=$WORK/mpavs

SLOW=(stTimeConsuming/CALLBlake2f_MaxRounds.json)
TOTAL_PASS=0
TOTAL_FAIL=0
TOTAL_SKIP=0
: >"$WORK/fails"
: >"$WORK/faillines"
start=$(date +%s)
for top in GeneralStateTests EIPTests/StateTests; do
  for dir in "$VEC/$top"/*/; do
    name=${dir%/}
    name=${name##*/}
    args=("$dir")
    if [ "${STATETEST_ALL:-0}" != 1 ]; then
      for s in "${SLOW[@]}"; do
        if [ "${s%%/*}" = "$name" ]; then
          mapfile -t args < <(find "$dir" -name '*.json' ! -path "*/${s#*/}" | sort)
          echo "not run (time): $top/$s"
        fi
      done
    fi
    timeout 600 "$MPAVS" evm statetest "${args[@]}" >"$WORK/out" 2>"$WORK/err"
    rc=$?
    if [ $rc -gt 1 ]; then
      echo "$top/$name: mpavs exited with $rc"; tail -3 "$WORK/err"
      TOTAL_FAIL=$((TOTAL_FAIL + 1))
    fi
    grep '^FAIL ' "$WORK/out" | sed -E 's/^FAIL ([^ ]+) ([^ ]+) (d[0-9]+) (g[0-9]+) (v[0-9]+):.*/\1 \2 \3\/\4\/\5/' >>"$WORK/fails"
    grep '^FAIL ' "$WORK/out" >>"$WORK/faillines"
    while read -r fork p _ f _ s _; do
      fork=${fork%:}
      echo "$top/$name $fork: $p passed, $f failed, $s skipped"
      TOTAL_PASS=$((TOTAL_PASS + p)); TOTAL_FAIL=$((TOTAL_FAIL + f)); TOTAL_SKIP=$((TOTAL_SKIP + s))
    done < <(grep -E '^(Cancun|Prague|Osaka): ' "$WORK/err")
    grep '^skipped: ' "$WORK/err" | sed "s|^|  $top/$name |"
  done
done
elapsed=$(( $(date +%s) - start ))

# compare with the known failures
grep -vE '^\s*(#|$)' "$KNOWN" | awk '{print $1, $2, $3}' >"$WORK/known"
unexpected=0
while read -r n fk idx; do
  if ! grep -qxF "$n $fk $idx" "$WORK/known" && ! grep -qxF "$n $fk *" "$WORK/known"; then
    [ $unexpected -lt 50 ] && grep -F "FAIL $n $fk ${idx//\// }:" "$WORK/faillines" | head -1
    unexpected=$((unexpected + 1))
  fi
done <"$WORK/fails"
stale=0
while read -r n fk idx; do
  if [ "$idx" = "*" ]; then
    grep -q "^$n $fk " "$WORK/fails" || { echo "now passes (remove from the known failures): $n $fk *"; stale=$((stale + 1)); }
  else
    grep -qxF "$n $fk $idx" "$WORK/fails" || { echo "now passes (remove from the known failures): $n $fk $idx"; stale=$((stale + 1)); }
  fi
done <"$WORK/known"
known_failing=$(( TOTAL_FAIL - unexpected ))
echo "evm_statetest: ${elapsed}s; $TOTAL_PASS passed, $TOTAL_FAIL failed ($known_failing known, $unexpected unexpected), $TOTAL_SKIP skipped (unsupported precompiles); $stale known failures now pass"
bad=$(( unexpected + stale ))
echo "$((TOTAL_PASS + known_failing)) passed, $bad failed"
[ $bad -eq 0 ]
