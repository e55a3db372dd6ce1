#!/usr/bin/env bash
# Differential test of `mpavs abi encode|calldata|decode`, `mpavs keccak` and `mpavs sig`
# against Foundry's cast on randomly generated types and values (seeded, reproducible;
# CASES and SEED override). Prints "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PATH="$ROOT/.tools/bin:$PATH"
MPAVS="$ROOT/${BUILD:-build}/mpavs"
CASES=${CASES:-80} SEED=${SEED:-20261122} MPAVS="$MPAVS" python3 - <<'EOF'
import os, random, re, subprocess, sys

rnd = random.Random(int(os.environ["SEED"]))
MPAVS = os.environ["MPAVS"]
passed = failed = 0

def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout.strip(), p.stderr.strip()

def gen_type(depth=0):
    r = rnd.random()
    if depth < 2 and r < 0.15:
        return ("tuple", [gen_type(depth + 1) for _ in range(rnd.randint(1, 3))])
    if depth < 2 and r < 0.30:
        return ("array", gen_type(depth + 1))
    if depth < 2 and r < 0.40:
        return ("fixed", gen_type(depth + 1), rnd.randint(1, 3))
    k = rnd.choice(["uint", "int", "address", "bool", "bytesN", "bytes", "string"])
    if k in ("uint", "int"):
        return (k, rnd.choice([8, 16, 32, 64, 96, 128, 160, 248, 256]))
    if k == "bytesN":
        return (k, rnd.randint(1, 32))
    return (k,)

def tname(t):
    k = t[0]
    if k in ("uint", "int"): return f"{k}{t[1]}"
    if k == "bytesN": return f"bytes{t[1]}"
    if k == "tuple": return "(" + ",".join(tname(x) for x in t[1]) + ")"
    if k == "array": return tname(t[1]) + "[]"
    if k == "fixed": return tname(t[1]) + f"[{t[2]}]"
    return k

def gen_int(lo, hi):
    return rnd.choice([lo, hi, 0, 1, rnd.randint(lo, hi), rnd.randint(max(lo, -1000), min(hi, 1000))])

def gen_value(t, nested=False):
    """returns (cast-syntax argument, expected formatted output of mpavs)"""
    k = t[0]
    if k == "uint":
        v = gen_int(0, 2 ** t[1] - 1)
        return (hex(v) if rnd.random() < 0.3 else str(v)), str(v)
    if k == "int":
        v = gen_int(-(2 ** (t[1] - 1)), 2 ** (t[1] - 1) - 1)
        return str(v), str(v)
    if k == "bool":
        b = rnd.choice(["true", "false"]); return b, b
    if k == "address":
        h = "%040x" % rnd.getrandbits(160); return "0x" + h, None
    if k == "bytesN":
        h = "%0*x" % (2 * t[1], rnd.getrandbits(8 * t[1])); return "0x" + h, "0x" + h
    if k == "bytes":
        n = rnd.choice([0, 1, 31, 32, 33, rnd.randint(0, 100)])
        h = "".join("%02x" % rnd.getrandbits(8) for _ in range(n)); return "0x" + h, "0x" + h
    if k == "string":
        n = rnd.choice([0, 1, 5, 32, 40])
        s = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789 ") for _ in range(n)).strip() or "x"
        return ('"%s"' % s if nested else s), ('"%s"' % s if nested else s)
    if k == "array":
        items = [gen_value(t[1], True) for _ in range(rnd.randint(0, 3))]
    elif k == "fixed":
        items = [gen_value(t[1], True) for _ in range(t[2])]
    else:
        items = [gen_value(x, True) for x in t[1]]
    o, c = ("(", ")") if k == "tuple" else ("[", "]")
    arg = o + ",".join(a for a, _ in items) + c
    exp = None if any(e is None for _, e in items) else o + ", ".join(e for _, e in items) + c
    return arg, exp

def norm_cast(line, top_string):
    line = re.sub(r"(\d) \[-?\d+(\.\d+)?e-?\d+\]", r"\1", line)
    if top_string and len(line) >= 2 and line[0] == '"' and line[-1] == '"':
        line = line[1:-1]
    return line

def check(name, ok, detail=""):
    global passed, failed
    if ok: passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")

cases = int(os.environ["CASES"])
for i in range(cases):
    types = [gen_type() for _ in range(rnd.randint(1, 4))]
    sig = "f(" + ",".join(tname(t) for t in types) + ")"
    vals = [gen_value(t) for t in types]
    args = [a for a, _ in vals]
    rc1, m, e1 = run([MPAVS, "abi", "encode", sig, "--", *args])
    rc2, c, e2 = run(["cast", "abi-encode", sig, "--", *args])
    if rc2 != 0:
        # cast refused the input: mpavs must refuse too (or it is a generator issue)
        check(f"encode-refused {sig} {args}", rc1 != 0, f"cast: {e2[:200]}")
        continue
    check(f"encode {sig} {args}", rc1 == 0 and m == c, f"\n mpavs={m or e1}\n cast ={c}")
    rc1, m2, e1 = run([MPAVS, "abi", "calldata", sig, "--", *args])
    rc2, c2, _ = run(["cast", "calldata", sig, "--", *args])
    check(f"calldata {sig}", rc1 == 0 and m2 == c2, f"\n mpavs={m2 or e1}\n cast ={c2}")
    dsig = "f()(" + ",".join(tname(t) for t in types) + ")"
    rc1, md, e1 = run([MPAVS, "abi", "decode", dsig, c])
    rc2, cd, _ = run(["cast", "abi-decode", dsig, c])
    mlines, clines = md.split("\n"), cd.split("\n")
    ok = rc1 == 0 and rc2 == 0 and len(mlines) == len(clines) == len(types)
    if ok:
        for t, ml, cl in zip(types, mlines, clines):
            if ml != norm_cast(cl, t[0] == "string"):
                ok = False
    check(f"decode {dsig}", ok, f"\n mpavs={md or e1}\n cast ={cd}")
    for (t, (_, exp)), ml in zip(zip(types, vals), mlines):
        if exp is not None and rc1 == 0:
            check(f"roundtrip {tname(t)}", ml == exp, f"{ml} != {exp}")

for i in range(30):
    n = rnd.randint(0, 300)
    data = "0x" + "".join("%02x" % rnd.getrandbits(8) for _ in range(n))
    check("keccak", run([MPAVS, "keccak", data])[1] == run(["cast", "keccak", data])[1], data[:40])
    text = "".join(rnd.choice("abcdefghij(),[]0123456789") for _ in range(rnd.randint(0, 40)))
    check("keccak --text", run([MPAVS, "keccak", "--text", text])[1] == run(["cast", "keccak", text])[1], text)
for i in range(20):
    sig = "g" + str(i) + "(" + ",".join(tname(gen_type()) for _ in range(rnd.randint(0, 3))) + ")"
    check("sig " + sig, run([MPAVS, "sig", sig])[1] == run(["cast", "sig", sig])[1], sig)

# refused input: one-line error, non-zero exit, no crash
for bad in [["abi", "encode", "f(uint8)", "256"], ["abi", "encode", "f(uint256", "1"], ["abi", "decode", "f()(uint256)", "0x12"],
            ["abi", "decode", "f()(bytes)", "0x" + "00" * 31 + "20" + "ff" * 32], ["keccak", "0xzz"], ["abi", "encode", "f(address)", "0x1234"]]:
    rc, out, err = run([MPAVS, *bad])
    check("refuses " + " ".join(bad), rc != 0 and rc < 128 and err.count("\n") == 0 and err.startswith("mpavs:"), f"rc={rc} err={err}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
EOF
