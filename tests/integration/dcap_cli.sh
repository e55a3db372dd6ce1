#!/usr/bin/env bash
# End-to-end test of `mpavs quote verify|show|collateral` and `mpavs attest devnet-ca|sim-quote`
# on the shared DCAP vectors and a fresh DEVNET ONLY hierarchy: verdict JSON, exit codes 0/1/2.
# No chain or network needed. Prints "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MPAVS="$ROOT/${BUILD:-build}/mpavs"
SHARED=${MPAVS_SHARED:-$ROOT/../shared}
V="$SHARED/vectors/dcap"
TMP=$(mktemp -d /tmp/mpavs-dcap-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
PASS=0 FAIL=0

# check NAME EXPECTED_RC PYTHON_ASSERTION -- CMD...: run CMD, compare exit code, assert on stdout JSON (o)
check() {
  local name=$1 want=$2 expr=$3; shift 4
  local out rc
  out=$("$@" 2>"$TMP/err"); rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL $name: exit $rc, want $want; stdout: ${out:0:300}; stderr: $(head -c 300 "$TMP/err")"; FAIL=$((FAIL+1)); return
  fi
  if [ -n "$expr" ] && ! OUT="$out" python3 -c "import json,os,sys; o=json.loads(os.environ['OUT']); sys.exit(0 if ($expr) else 1)"; then
    echo "FAIL $name: assertion '$expr' on ${out:0:400}"; FAIL=$((FAIL+1)); return
  fi
  echo "ok   $name"; PASS=$((PASS+1))
}

q() { echo "$V/$1/quote.bin"; }
c() { echo "$V/$1/collateral.dcapqvl.json"; }

check v01_verify 0 "o['verified'] and o['tee']=='sgx' and o['version']==3 and o['tcb_status']=='ConfigurationAndSWHardeningNeeded' and o['advisory_ids']==['INTEL-SA-00289','INTEL-SA-00615'] and o['fmspc']=='00a067110000' and o['debug']==False and len(o['mr_enclave'])==64 and len(o['report_data'])==128" -- \
  "$MPAVS" quote verify --quote "$(q v01_dcapqvl_sgx_v3)" --collateral "$(c v01_dcapqvl_sgx_v3)" --now 1752919277
check v01_automata 0 "(lambda b: len(b)==397 and b[:7].hex()=='00030000000002' and b[7:13].hex()==o['fmspc'] and b[333:397].hex()==o['report_data'])(bytes.fromhex(o['automata_output'][2:]))" -- \
  "$MPAVS" quote verify --quote "$(q v01_dcapqvl_sgx_v3)" --collateral "$(c v01_dcapqvl_sgx_v3)" --now 1752919277 --automata-output
check v02_verify 0 "o['tee']=='tdx' and o['version']==4 and o['tcb_status']=='UpToDate' and len(o['mr_td'])==96 and all(('rtmr%d'%i) in o for i in range(4)) and 'mr_config_id' in o and 'mr_owner' in o" -- \
  "$MPAVS" quote verify --quote "$(q v02_dcapqvl_tdx_v4)" --collateral "$(c v02_dcapqvl_tdx_v4)" --now 1752919234
check v06_verify 0 "o['tcb_status']=='OutOfDate' and o['advisory_ids']==['INTEL-SA-00960','INTEL-SA-00982','INTEL-SA-00986']" -- \
  "$MPAVS" quote verify --quote "$(q v06_automata_tdx_v4_jun2025)" --collateral "$(c v06_automata_tdx_v4_jun2025)" --now 1749095100
check v08_verify 0 "o['version']==5 and o['tcb_status']=='UpToDate' and 'mr_service_td' in o" -- \
  "$MPAVS" quote verify --quote "$(q v08_automata_tdx_v5_td15_alibaba_jun2025)" --collateral "$(c v08_automata_tdx_v5_td15_alibaba_jun2025)" --now 1749945600
check v10_verify 0 "o['tcb_status']=='OutOfDate'" -- \
  "$MPAVS" quote verify --quote "$(q v10_dcaprs_sgx_v3_feb2025_tcbinfo_v2)" --collateral "$(c v10_dcaprs_sgx_v3_feb2025_tcbinfo_v2)" --now 1739419232
check v04_expired 1 "o['verified']==False and o['error'] in ('crl_expired','tcb_info_expired') and o['detail']" -- \
  "$MPAVS" quote verify --quote "$(q v04_automata_sgx_v3_aug2025)" --collateral "$(c v04_automata_sgx_v3_aug2025)" --now 1757894400
python3 -c "import sys,textwrap; print(textwrap.fill(open(sys.argv[1],'rb').read().hex(), 60))" "$(q v04_automata_sgx_v3_aug2025)" > "$TMP/q.hex"
check v04_hex_quote 0 "o['tcb_status']=='SWHardeningNeeded'" -- \
  "$MPAVS" quote verify --quote "$TMP/q.hex" --collateral "$(c v04_automata_sgx_v3_aug2025)" --now 1755236700
echo '{"accepted_statuses":["UpToDate"]}' > "$TMP/strict.json"
check v04_policy_status 1 "o['error']=='policy_tcb_status_rejected'" -- \
  "$MPAVS" quote verify --quote "$(q v04_automata_sgx_v3_aug2025)" --collateral "$(c v04_automata_sgx_v3_aug2025)" --now 1755236700 --policy "$TMP/strict.json"
check wrong_root 1 "o['error']=='pck_chain_untrusted'" -- \
  "$MPAVS" quote verify --quote "$(q v01_dcapqvl_sgx_v3)" --collateral "$(c v01_dcapqvl_sgx_v3)" --now 1752919277 --root-ca "$V/v16_intelqvl_sample_sgx_synthetic/trustedRootCaCert.pem"
check missing_args 2 "" -- "$MPAVS" quote verify --quote "$(q v01_dcapqvl_sgx_v3)"
check bad_now 2 "" -- "$MPAVS" quote verify --quote "$(q v01_dcapqvl_sgx_v3)" --collateral "$(c v01_dcapqvl_sgx_v3)" --now yesterday
check missing_file 2 "" -- "$MPAVS" quote verify --quote "$TMP/nope" --collateral "$(c v01_dcapqvl_sgx_v3)"
head -c 700 "$(q v01_dcapqvl_sgx_v3)" > "$TMP/trunc.bin"
check truncated 1 "o['error']=='invalid_auth_data_size' or o['error']=='quote_truncated'" -- \
  "$MPAVS" quote verify --quote "$TMP/trunc.bin" --collateral "$(c v01_dcapqvl_sgx_v3)" --now 1752919277
check show_debug 0 "o['debug']==True and o['attributes'].startswith('07') and o['cert_data_type']==5 and len(o['pck_chain'])==3" -- \
  "$MPAVS" quote show --quote "$V/quotes_only/oe_sgx_v3_fmspc00906ed50000.bin"
check show_trailing 0 "o['trailing_bytes']==70 and o['cert_data_type']==6 and o['pck_cert_data_type']==5" -- \
  "$MPAVS" quote show --quote "$(q v02_dcapqvl_tdx_v4)"
head -c 40 /dev/urandom > "$TMP/rand.bin"
check show_random 1 "'error' in o" -- "$MPAVS" quote show --quote "$TMP/rand.bin"
P="$V/v04_automata_sgx_v3_aug2025"
check collateral_assemble 0 "" -- "$MPAVS" quote collateral --tcb-info "$P/tcbinfo.json" --qe-identity "$P/qeidentity.json" \
  --pck-crl "$P/pck_platform_crl.der" --root-ca-crl "$V/common/intel_root_ca_crl_2025-03-20.der" --out "$TMP/coll.json"
check collateral_roundtrip 0 "o['tcb_status']=='SWHardeningNeeded' and o['advisory_ids']==['INTEL-SA-00615']" -- \
  "$MPAVS" quote verify --quote "$P/quote.bin" --collateral "$TMP/coll.json" --now 1755236700
check collateral_missing 2 "" -- "$MPAVS" quote collateral --tcb-info "$P/tcbinfo.json" --out "$TMP/x.json"

# DEVNET ONLY hierarchy
check devnet_ca 0 "" -- "$MPAVS" attest devnet-ca --out "$TMP/ca"
check devnet_sim 0 "" -- "$MPAVS" attest sim-quote --ca "$TMP/ca" --report-data 0x$(printf 'ab%.0s' $(seq 64)) \
  --mr-enclave 0x$(printf '11%.0s' $(seq 32)) --out "$TMP/dev.bin"
check devnet_verify 0 "o['verified'] and o['tcb_status']=='UpToDate' and o['report_data']=='ab'*64 and o['mr_enclave']=='11'*32 and o['fmspc']=='00de7e000000'" -- \
  "$MPAVS" quote verify --quote "$TMP/dev.bin" --collateral "$TMP/ca/collateral.dcapqvl.json" --root-ca "$TMP/ca/root.der"
check devnet_intel_root 1 "o['error']=='pck_chain_untrusted'" -- \
  "$MPAVS" quote verify --quote "$TMP/dev.bin" --collateral "$TMP/ca/collateral.dcapqvl.json"
check devnet_sim_debug 0 "" -- "$MPAVS" attest sim-quote --ca "$TMP/ca" --report-data 0x01 --debug --hex --out "$TMP/dbg.hex"
echo '{"reject_debug":true}' > "$TMP/prod.json"
check devnet_debug_policy 1 "o['error']=='policy_debug_rejected'" -- \
  "$MPAVS" quote verify --quote "$TMP/dbg.hex" --collateral "$TMP/ca/collateral.dcapqvl.json" --root-ca "$TMP/ca/root.pem" --policy "$TMP/prod.json"
echo "{\"mr_enclave\":[\"0x$(printf '11%.0s' $(seq 32))\"]}" > "$TMP/allow.json"
check devnet_allowlist 0 "o['verified']" -- \
  "$MPAVS" quote verify --quote "$TMP/dev.bin" --collateral "$TMP/ca/collateral.dcapqvl.json" --root-ca "$TMP/ca/root.der" --policy "$TMP/allow.json"
check devnet_revoked_ca 0 "" -- "$MPAVS" attest devnet-ca --out "$TMP/rev" --revoke-pck
check devnet_revoked_sim 0 "" -- "$MPAVS" attest sim-quote --ca "$TMP/rev" --report-data 0x02 --out "$TMP/rev.bin"
check devnet_revoked 1 "o['error']=='pck_revoked' and o['tcb_status']=='Revoked'" -- \
  "$MPAVS" quote verify --quote "$TMP/rev.bin" --collateral "$TMP/rev/collateral.dcapqvl.json" --root-ca "$TMP/rev/root.der"
grep -q "DEVNET ONLY" "$TMP/ca/README-DEVNET-ONLY.txt" && grep -q "DEVNET ONLY" "$TMP/ca/collateral.dcapqvl.json" && { echo "ok   devnet_marked"; PASS=$((PASS+1)); } || { echo "FAIL devnet_marked"; FAIL=$((FAIL+1)); }
# DEVNET ONLY TDX v4 quotes: the TDX collateral (TCB info "TDX", TD QE identity) of the same hierarchy
check devnet_sim_tdx 0 "" -- "$MPAVS" attest sim-quote --tdx --ca "$TMP/ca" --report-data 0x$(printf 'cd%.0s' $(seq 64)) \
  --mr-td 0x$(printf '22%.0s' $(seq 48)) --out "$TMP/td.bin"
check devnet_verify_tdx 0 "o['verified'] and o['tee']=='tdx' and o['version']==4 and o['tcb_status']=='UpToDate' and o['report_data']=='cd'*64 and o['mr_td']=='22'*48 and o['td_attributes']=='0000001000000000' and not o['debug']" -- \
  "$MPAVS" quote verify --quote "$TMP/td.bin" --collateral "$TMP/ca/collateral_tdx.dcapqvl.json" --root-ca "$TMP/ca/root.der"
check devnet_tdx_sgx_collateral 1 "o['error']=='tcb_info_mismatch'" -- \
  "$MPAVS" quote verify --quote "$TMP/td.bin" --collateral "$TMP/ca/collateral.dcapqvl.json" --root-ca "$TMP/ca/root.der"
check devnet_sgx_tdx_collateral 1 "not o['verified']" -- \
  "$MPAVS" quote verify --quote "$TMP/dev.bin" --collateral "$TMP/ca/collateral_tdx.dcapqvl.json" --root-ca "$TMP/ca/root.der"
check devnet_sim_tdx_debug 0 "" -- "$MPAVS" attest sim-quote --tdx --ca "$TMP/ca" --report-data 0x01 --debug --out "$TMP/tddbg.bin"
check devnet_tdx_debug_policy 1 "o['error']=='policy_debug_rejected'" -- \
  "$MPAVS" quote verify --quote "$TMP/tddbg.bin" --collateral "$TMP/ca/collateral_tdx.dcapqvl.json" --root-ca "$TMP/ca/root.der" --policy "$TMP/prod.json"
check sim_tdx_sgx_field 2 "" -- "$MPAVS" attest sim-quote --tdx --ca "$TMP/ca" --report-data 0x01 --mr-enclave 0x$(printf '11%.0s' $(seq 32)) --out "$TMP/x.bin"
check sim_mrtd_without_tdx 2 "" -- "$MPAVS" attest sim-quote --ca "$TMP/ca" --report-data 0x01 --mr-td 0x$(printf '22%.0s' $(seq 48)) --out "$TMP/x.bin"
check sim_bad_report_data 2 "" -- "$MPAVS" attest sim-quote --ca "$TMP/ca" --report-data 0x$(printf 'ab%.0s' $(seq 65)) --out "$TMP/x.bin"
check sim_bad_ca 2 "" -- "$MPAVS" attest sim-quote --ca "$TMP/nope" --report-data 0x01 --out "$TMP/x.bin"
check help_quote 0 "" -- "$MPAVS" quote verify --help
check help_attest 0 "" -- "$MPAVS" attest sim-quote --help

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
