#!/usr/bin/env bash
# `make install` into a temporary prefix, then build and run a program against the
# installed headers and library through pkg-config (static and shared).
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok   $1"; }
ko() { fail=$((fail+1)); echo "FAIL $1"; }
if make -s -C "$ROOT" install PREFIX="$tmp/prefix" >"$tmp/install.log" 2>&1; then ok "make install"; else ko "make install"; tail -20 "$tmp/install.log"; fi
cat > "$tmp/demo.c" <<'C'
#include <mpavs/keccak.h>
#include <mpavs/abi.h>
#include <stdio.h>
int main(void) {
    unsigned char h[32];
    mpavs_keccak256(h, "", 0);
    unsigned char sel[4];
    if (mpavs_abi_selector(sel, "transfer(address,uint256)") != MPAVS_ABI_OK) return 1;
    printf("%02x%02x %02x%02x%02x%02x\n", h[0], h[1], sel[0], sel[1], sel[2], sel[3]);
    return 0;
}
C
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
if cc -o "$tmp/demo" "$tmp/demo.c" $(pkg-config --cflags --libs libmpavs) 2>"$tmp/cc.log" \
   && [ "$(LD_LIBRARY_PATH="$tmp/prefix/lib" "$tmp/demo")" = "c5d2 a9059cbb" ]; then ok "shared link via pkg-config"; else ko "shared link via pkg-config"; cat "$tmp/cc.log"; fi
# static libmpavs, shared dependencies (the ones Requires.private names)
if cc -o "$tmp/demo_static" "$tmp/demo.c" $(pkg-config --cflags libmpavs) "$tmp/prefix/lib/libmpavs.a" \
     $(pkg-config --libs openssl libsecp256k1 libcurl jansson) -lgmp -lpthread -lm 2>"$tmp/cc2.log" \
   && [ "$("$tmp/demo_static")" = "c5d2 a9059cbb" ]; then ok "static libmpavs.a link"; else ko "static libmpavs.a link"; cat "$tmp/cc2.log"; fi
[ -x "$tmp/prefix/bin/mpavs" ] && [ "$("$tmp/prefix/bin/mpavs" sig 'transfer(address,uint256)')" = 0xa9059cbb ] && ok "installed mpavs runs" || ko "installed mpavs runs"
# the contract artifacts: `mpavs avs deploy --dry-run` finds them next to the installed binary, outside the checkout
n=$(ls "$tmp"/prefix/share/mpavs/contracts/*.sol/*.json 2>/dev/null | wc -l)
[ "$n" -eq 17 ] && ok "17 contract artifacts installed" || ko "contract artifacts installed: $n"
port=$(( (RANDOM % 12000) + 20000 )) # below the ephemeral range
"$ROOT/.tools/bin/anvil" --port $port --silent >/dev/null 2>&1 & apid=$!
for _ in $(seq 1 100); do "$ROOT/.tools/bin/cast" chain-id --rpc-url http://127.0.0.1:$port >/dev/null 2>&1 && break; sleep 0.1; done
if (cd "$tmp" && env -u MPAVS_ROOT -u MPAVS_CONTRACTS "$tmp/prefix/bin/mpavs" avs deploy --network custom \
      --delegation-manager 0x0000000000000000000000000000000000000001 --avs-directory 0x0000000000000000000000000000000000000002 \
      --strategy 0x0000000000000000000000000000000000000003 --rpc-url http://127.0.0.1:$port --out "$tmp/d.json" \
      --private-key 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80 --dry-run >"$tmp/plan.log" 2>&1) \
   && grep -q "dry run: nothing sent" "$tmp/plan.log"; then ok "installed mpavs avs deploy finds its artifacts"
else ko "installed mpavs avs deploy: $(tail -3 "$tmp/plan.log")"; fi
kill $apid 2>/dev/null; wait $apid 2>/dev/null
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
