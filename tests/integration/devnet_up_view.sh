#!/usr/bin/env bash
# tests/integration/devnet_up_view.sh — the live terminal view of `mpavs devnet up`.
#
# Runs it in a detached tmux pane (160x50), reads the screen with capture-pane and the raw
# output with pipe-pane: the header (chain URLs), the process table (Up) and at least one
# confirmation row are on screen; the view redraws in place (alternate screen, cursor-home
# redraws, no scrollback) rather than appending lines; a resize (SIGWINCH) redraws at the new
# width; the run ends on --until-confirmed with exit 0.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
MPAVS="$ROOT/build/mpavs"
TMP=$(mktemp -d /tmp/mpavs-devnet-view.XXXXXX)
SESSION="mpavs-view-$$"
PASS=0
FAIL=0
ok() { echo "ok - $*"; PASS=$((PASS + 1)); }
bad() { echo "not ok - $*"; FAIL=$((FAIL + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null
  local p
  for p in $(pgrep -f -- "$TMP" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT
command -v tmux >/dev/null || { echo "not ok - tmux missing (scripts/setup installs it)"; echo "devnet_up_view: 0 passed, 1 failed"; exit 1; }

D="$TMP/dn"
tmux -f /dev/null new-session -d -s "$SESSION" -x 160 -y 50 \
  "'$MPAVS' devnet up --dir '$D' --until-confirmed 3 --duration 150 2>'$TMP/err.txt'; echo \$? >'$TMP/exit'; sleep 30"
tmux pipe-pane -t "$SESSION" -o "cat >>'$TMP/raw'"

screen() { tmux capture-pane -p -t "$SESSION" >"$TMP/screen" 2>/dev/null; }
# wait_screen REGEX SECONDS: until the screen matches (or the run ended)
wait_screen() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    screen
    grep -Eq -- "$1" "$TMP/screen" && return 0
    [ -f "$TMP/exit" ] && return 1
    sleep 0.1
  done
  return 1
}

saw_table=false
wait_screen '^anvil-avs +Up' 120 && saw_table=true
sleep 1.2 # one more frame
screen
cp "$TMP/screen" "$TMP/table.screen"
echo "---- screen with the process table:"; cat "$TMP/table.screen"
S="$TMP/table.screen"
check "header with both chain URLs" bash -c "grep -q '^mpavs devnet' '$S' && grep -q '^AVS chain  *http://127.0.0.1:' '$S' && grep -q '^proven chain  *http://127.0.0.1:' '$S'"
check "process table" bash -c "$saw_table && grep -q '^PROCESS  *STATUS' '$S' && grep -Eq '^prover-4 +Up' '$S'"
check "aggregator and operators Up" bash -c "grep -q '^aggregator  *Up' '$S' && grep -Eq '^operator-4 +Up' '$S'"
check "header appears once on screen" [ "$(grep -c '^mpavs devnet' "$S")" -eq 1 ]

# SIGWINCH: a narrower window is redrawn within a second at the new width
tmux resize-window -t "$SESSION" -x 100 -y 45 2>/dev/null || tmux resize-pane -t "$SESSION" -x 100 -y 45
sleep 1.5
screen
check "resize redraws at the new width" bash -c "[ \$(awk '{ if (length > m) m = length } END { print m + 0 }' '$TMP/screen') -le 100 ] && grep -q '^PROCESS' '$TMP/screen'"

saw_row=false
wait_screen '^3 +[0-9]+ +[0-9]+ +[0-9?]+ +[0-9.kM?]+ +[0-9]+ ms [0-9]+ blk.* 0x' 150 && saw_row=true
cp "$TMP/screen" "$TMP/row.screen"
echo "---- last screen:"; cat "$TMP/row.screen"
echo "---- stderr:"; cat "$TMP/err.txt" 2>/dev/null
check "a confirmation row" $saw_row
check "first-confirmation time in the header" bash -c "$saw_row && grep -q 'first state confirmed after [0-9]* s' '$TMP/row.screen'"
check "the load line in the header" grep -Eq '^load +4 tx/s from 0x' "$TMP/row.screen"
check "a row: type, task, block, txs, gas, latency in ms and AVS blocks, digest" \
  grep -Eq '^3 +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.kM]+ +[0-9]+ ms [0-9]+ blk.* 0x[0-9a-f]{4}\.\.' "$TMP/row.screen"
homes=$(grep -o $'\e\\[H' "$TMP/raw" 2>/dev/null | wc -l)
check "redrawn in place (${homes} cursor-home frames)" [ "$homes" -ge 3 ]
check "alternate screen used" grep -q $'\e\\[?1049h' "$TMP/raw"
check "no scrollback (nothing appended)" [ "$(tmux display -p -t "$SESSION" '#{history_size}')" -eq 0 ]

i=0
while [ ! -f "$TMP/exit" ] && [ $i -lt 200 ]; do sleep 1; i=$((i + 1)); done
check "exit 0 after --until-confirmed 3" [ "$(cat "$TMP/exit" 2>/dev/null)" = 0 ]
check "screen restored after exit (alternate screen left)" grep -q $'\e\\[?1049l' "$TMP/raw"
# "$D/": the daemons' config files and anvil's --config-out (not the tmux shell running the command)
check "no process left" [ -z "$(pgrep -f -- "$D/" 2>/dev/null)" ]

echo "devnet_up_view: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
