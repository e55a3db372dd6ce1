#!/usr/bin/env bash
# tests/integration/log_fields.sh — every daemon log field is key=value parseable: no dlog() call
# puts a %s between literal quotes (a value holding a quote or a newline would break the line;
# such values go through DLOG_Q / dlog_quote, daemons/common/log.h), and dlog_quote's escaping is
# what the daemons' lines carry (checked on the running prover's output for a configuration error).
# Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_counted
bad=$(python3 - "$ROOT" <<'PY'
import re, glob, sys
n = 0
for f in sorted(glob.glob(sys.argv[1] + '/daemons/*/*.c')):
    s = open(f).read()
    for m in re.finditer(r'\bdlog\((?:[^;]|\n)*?\);', s):
        if '\\"%s\\"' in m.group(0):
            n += 1
            print(f"  {f[len(sys.argv[1]) + 1:]}:{s.count(chr(10), 0, m.start()) + 1}", file=sys.stderr)
print(n)
PY
)
check "no dlog field quotes a raw %s" 0 "$bad"
PROVER=${MPAVS_DAEMON_BUILD:-$ROOT/build}/bin/mpavs-prover
[ -x "$PROVER" ] || PROVER=$ROOT/build/mpavs-prover
cat >"$WORK/p.json" <<'J'
{"server": {"listen": "127.0.0.1:0"}, "attestation": {"provider": "devnet", "devnet_ca_dir": "/nonexistent/\"dir"}}
J
timeout 20 "$PROVER" --config "$WORK/p.json" >"$WORK/out" 2>"$WORK/err"
line=$(grep 'event=startup_failed' "$WORK/err" | head -1)
python3 - "$line" <<'PY' && ok "startup_failed line parses as key=value (a quote in the value escaped)" || ko "startup_failed line: $line"
import shlex, sys
line = sys.argv[1]
assert line, "no startup_failed line"
fields = dict(kv.split('=', 1) for kv in shlex.split(line))
assert 'error' in fields and '"dir' in fields['error'], fields
PY
finish
