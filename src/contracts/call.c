/*
 * src/contracts/call.c — the context (signatures parsed once), text buffers, calldata, transactions and calls with
 * decoded reverts.
 */
#include "contracts_internal.h"
#include "util/error.h"

#include "mpavs/hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ctr_errors[] = {
    /* custom errors of contracts/src (tests/integration/contracts_errors.sh checks that none is missing) */
    /* IMultiProverServiceManager */
    "OnlyRegistryCoordinator()", "CommitteeExist()", "CommitteeNotExist()", "InsufficientThreshold()",
    "InvalidQuorum()", "InvalidQuorumParam()", "InvalidSender()", "NoPermission()", "NotWhitelisted()",
    "QuorumNotInitialized()", "TEEQuorumExist()", "TEEQuorumNotExist()", "TEEQuorumUsed()", "ZeroAddr()",
    "ZeroId()",
    /* ITEELivenessVerifier */
    "INVALID_REPORT()", "INVALID_REPORT_DATA()", "BlockNumberMismatch()", "BlockNumberOutOfDate()",
    "InvalidBlockNumber()", "REPORT_DATA_MISMATCH(bytes)", "ReportAlreadyUsed()", "LivenessAuthorizationRequired()",
    "InvalidLivenessAuthorization()", "LivenessAuthorizationAlreadyUsed()",
    /* ITEELivenessVerifier: per-TEE-quorum policies (submitLivenessProofV4) */
    "QuorumPolicyNotSet(uint8)", "InvalidQuorumPolicy()", "TeeTypeMismatch(uint8,uint8)",
    "QuorumTcbStatusNotAllowed(uint8,uint8)", "MeasurementNotAllowed(uint8)", "TdAttributesNotAllowed(uint64)",
    "QuorumPolicyRequired()", "NoBoundLivenessProof()", "NotRecordedQuote()", "LivenessProofInPolicy()",
    "InvalidTdMeasurementLength()",
    /* AttestationVerifier */
    "DEBUG_ENCLAVE_NOT_ALLOWED()", "ENCLAVE_NOT_ALLOWED()", "INVALID_MRTD_LENGTH(uint256)",
    "TCB_STATUS_NOT_ALLOWED(uint8)", "UNSUPPORTED_OUTPUT_FORMAT()",
    /* SgxQuoteVerifier */
    "PckKeyAlreadyRegistered()", "TooManyPckKeys()", "UnknownPckKey()",
    /* IBLSSignatureChecker */
    "InputArrayLengthMismatch()", "InputEmptyQuorumNumbers()", "InputNonSignerLengthMismatch()",
    "InvalidBLSPairingKey()", "InvalidBLSSignature()", "InvalidQuorumApkHash()",
    "InvalidReferenceBlocknumber()", "NonSignerPubkeysNotSorted()", "OnlyRegistryCoordinatorOwner()",
    "StaleStakesForbidden()",
    /* RegistryCoordinator */
    "QuorumDoesNotExist()", "AlreadyRegisteredForQuorums()", "BitmapEmpty()",
    "BitmapUpdateIsAfterBlockNumber()", "BitmapUpdateNotFound()", "ChurnNotSupported()",
    "InputLengthMismatch()", "InvalidQuorums()", "MaxOperatorCountReached()", "MaxQuorumsReached()",
    "NextBitmapUpdateIsBeforeBlockNumber()", "NotRegistered()", "NotRegisteredForQuorum()", "NotSorted()",
    "OnlyEjector()", "QuorumOperatorCountMismatch()",
    /* StakeRegistry */
    "QuorumAlreadyExists()", "BelowMinimumStakeRequirement()", "EmptyStakeHistory()",
    "InputArrayLengthZero()", "InputDuplicateStrategy()", "InputMultiplierZero()", "StakeUpdateNotFound()",
    "WeightOverflow()",
    /* BLSApkRegistry */
    "BLSPubkeyAlreadyRegistered()", "BlockNumberBeforeFirstUpdate()", "BlockNumberNotLatest()",
    "BlockNumberTooRecent()", "InvalidBLSSignatureOrPrivateKey()", "OperatorAlreadyRegistered()",
    "OperatorNotRegistered()", "ZeroPubKey()",
    /* IndexRegistry */
    "OperatorIdDoesNotExist()", "QuorumDoesNotExistAtBlockNumber()", "QuorumExists()",
    /* AVSDirectory */
    "OperatorAlreadyRegisteredToAVS()", "OperatorNotRegisteredToAVS()", "OperatorNotRegisteredToEigenLayer()",
    "SaltSpent()", "SignatureExpired()",
    /* DelegationManager */
    "ActivelyDelegated()", "DelegationApproverNotSupported()", "InputAddressZero()",
    "OnlyStrategyManagerOrEigenPodManager()", "StakerOptOutWindowBlocksCannotDecrease()",
    "StakerOptOutWindowBlocksExceedsMax()", "WithdrawalDelayExceedsMax()",
    /* DelegationManagerV1, AllocationManagerV1 (the slashing release's; PermissionController's error) */
    "InvalidPermissions()",
    /* StrategyManager */
    "TransferFailed()", "MaxStrategiesExceeded()", "OnlyStrategyWhitelister()", "StrategyNotWhitelisted()",
    /* StrategyBase */
    "NewSharesZero()", "OnlyStrategyManager()", "OnlyUnderlyingToken()",
    "WithdrawalAmountExceedsTotalDeposits()",
    /* TestToken */
    "ERC20InsufficientAllowance()", "ERC20InsufficientBalance()", "ERC20InvalidReceiver()",
    /* Ownable */
    "OwnableInvalidOwner(address)", "OwnableUnauthorizedAccount(address)",
    /* Initializable */
    "InvalidInitialization()", "NotInitializing()",
    /* Pausable */
    "CurrentlyPaused()", "InvalidNewPausedStatus()", "InvalidPauserRegistry()", "OnlyPauser()",
    "OnlyUnpauser()",
    /* Proxy */
    "ImplementationNotContract(address)", "NoImplementation()",
    /* SigUtils */
    "ECDSAInvalidSignature()", "ECDSAInvalidSignatureLength(uint256)", "ECDSAInvalidSignatureS(bytes32)",
    "ECDSAInvalidSignatureV(uint8)", "ERC1271VerificationFailed()", "SignatureNotFromSigner()",
    /* BN254 */
    "ECAddFailed()", "ECMulFailed()", "ECPairingFailed()", "ExpModFailed()", "ScalarTooLarge()",
    /* BitmapUtils */
    "BitmapValueTooLarge()", "BytesArrayLengthTooLong()", "BytesArrayNotOrdered()",
    /* Automata's DCAP attestation with a fee (FeeManagerBase: the mainnet verifiers' attestation; the fee,
       a share of the attestation's gas cost, is paid as the liveness transaction's value) */
    "Insufficient_Funds()", "BP_Not_Valid()", "Withdrawal_Failed()",
    /* confirmation thresholds, consumer API (contracts2) */
    "InvalidThreshold()", "QuorumsMismatch()", "SequenceMismatch()", "StateAlreadyConfirmed()", "StateMismatch(uint256)", "StateNotConfirmed(uint256)", "ThresholdBelowMinimum(uint8,uint8,uint8)",
};
const size_t ctr_nerrors = sizeof ctr_errors / sizeof ctr_errors[0];

const char *const *mpavs_contracts_error_signatures(size_t *n) {
    *n = ctr_nerrors;
    return ctr_errors;
}

const char *mpavs_contracts_strerror(int r) {
    switch (r) {
    case MPAVS_CONTRACTS_OK: return "ok";
    case MPAVS_CONTRACTS_ERR_ARG: return "bad argument";
    case MPAVS_CONTRACTS_ERR_RPC: return "rpc failure";
    case MPAVS_CONTRACTS_ERR_REVERTED: return "reverted";
    case MPAVS_CONTRACTS_ERR_SEND: return "transaction not sent or not mined";
    case MPAVS_CONTRACTS_ERR_DECODE: return "unexpected contract output";
    case MPAVS_CONTRACTS_ERR_CRYPTO: return "key or signing failure";
    case MPAVS_CONTRACTS_ERR_NOMEM: return "out of memory";
    default: return "unknown contracts error";
    }
}

__attribute__((format(printf, 2, 0))) static void ctr_vprintf(ctr_str *b, const char *fmt, va_list ap) {
    if (b->oom) return;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + (size_t)n + 1) cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    b->len += (size_t)n;
}

void ctr_printf(ctr_str *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    ctr_vprintf(b, fmt, ap);
    va_end(ap);
}

void ctr_hex(ctr_str *b, const uint8_t *p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    ctr_printf(b, "0x");
    char chunk[65];
    while (n) {
        size_t k = n < 32 ? n : 32;
        for (size_t i = 0; i < k; i++) {
            chunk[2 * i] = digits[p[i] >> 4];
            chunk[2 * i + 1] = digits[p[i] & 15];
        }
        chunk[2 * k] = 0;
        ctr_printf(b, "%s", chunk);
        p += k;
        n -= k;
    }
}

void ctr_addr(ctr_str *b, const mpavs_address *a) { ctr_hex(b, a->bytes, 20); }

void ctr_u256(ctr_str *b, const mpavs_u256 *v) {
    char dec[80];
    mpavs_u256_to_dec(dec, sizeof dec, v);
    ctr_printf(b, "%s", dec);
}

/* Append a G1 point as "(0xX,0xY)". */
void ctr_g1(ctr_str *b, const mpavs_bn254_g1 *p) {
    uint8_t e[64];
    mpavs_bn254_g1_encode(e, p);
    ctr_printf(b, "(");
    ctr_hex(b, e, 32);
    ctr_printf(b, ",");
    ctr_hex(b, e + 32, 32);
    ctr_printf(b, ")");
}

/* Append a G2 point as "([X0,X1],[Y0,Y1])" in Solidity (EVM precompile) order. */
void ctr_g2(ctr_str *b, const mpavs_bn254_g2 *p) {
    uint8_t e[128];
    mpavs_bn254_g2_encode(e, p);
    ctr_printf(b, "([");
    ctr_hex(b, e, 32);
    ctr_printf(b, ",");
    ctr_hex(b, e + 32, 32);
    ctr_printf(b, "],[");
    ctr_hex(b, e + 64, 32);
    ctr_printf(b, ",");
    ctr_hex(b, e + 96, 32);
    ctr_printf(b, "])");
}

void ctr_str_free(ctr_str *b) {
    free(b->s);
    memset(b, 0, sizeof *b);
}

int ctr_fail(mpavs_contracts_ctx *c, int code, const char *step, const char *fmt, ...) {
    char msg[sizeof c->error.message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mpavs_error_set(&c->error, "contracts", code, "%s: %s", step, msg);
}

/* Keep the node's JSON-RPC code and revert data of e in c->error (after ctr_fail). */
static void keep_rpc_detail(mpavs_contracts_ctx *c, mpavs_error *e) {
    c->error.rpc_code = e->rpc_code;
    c->error.data = e->data;
    c->error.data_len = e->data_len;
    e->data = NULL;
    e->data_len = 0;
}

const mpavs_abi_signature *ctr_signature(const mpavs_contracts_ctx *c, ctr_sig id) {
    MPAVS_REQUIRE(c->sigs && (unsigned)id < CTR_NSIGS);
    return c->sigs->s[id];
}

static const char *const SIG_TEXT[CTR_NSIGS] = {
#define CTR_TEXT(id, text) [id] = text,
    CTR_SIGNATURES(CTR_TEXT)
#undef CTR_TEXT
};

int mpavs_contracts_init(mpavs_contracts_ctx *c, mpavs_rpc *rpc, mpavs_sender *sender) {
    MPAVS_REQUIRE(c && rpc);
    memset(c, 0, sizeof *c);
    c->rpc = rpc;
    c->sender = sender;
    c->sigs = calloc(1, sizeof *c->sigs);
    if (!c->sigs) return ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "init", "out of memory");
    for (size_t i = 0; i < CTR_NSIGS; i++) {
        int r = mpavs_abi_signature_parse(&c->sigs->s[i], SIG_TEXT[i]);
        /* the table is ours: only running out of memory can fail here */
        if (r == MPAVS_ABI_ERR_NOMEM) return ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "init", "out of memory");
        MPAVS_REQUIRE(r == MPAVS_ABI_OK);
    }
    return MPAVS_CONTRACTS_OK;
}

void mpavs_contracts_clear(mpavs_contracts_ctx *c) {
    if (!c) return;
    if (c->sigs)
        for (size_t i = 0; i < CTR_NSIGS; i++) mpavs_abi_signature_free(c->sigs->s[i]);
    free(c->sigs);
    c->sigs = NULL;
    mpavs_error_clear(&c->error);
}

/* Calldata of s with args (text tuple). */
static int encode(mpavs_contracts_ctx *c, uint8_t **out, size_t *len, const mpavs_abi_signature *s, const char *args,
                  const char *step) {
    mpavs_abi_value *v = NULL;
    int r = mpavs_abi_value_parse(&v, s->inputs, args ? args : "()");
    if (r) return ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, step, "bad arguments for %s (%s)", s->canonical, mpavs_abi_strerror(r));
    r = mpavs_abi_encode_call(out, len, s, v);
    mpavs_abi_value_free(v);
    if (r) return ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, step, "cannot encode %s (%s)", s->canonical, mpavs_abi_strerror(r));
    return MPAVS_CONTRACTS_OK;
}

int ctr_calldata(mpavs_contracts_ctx *c, uint8_t **out, size_t *len, ctr_sig id, const char *args, const char *step) {
    return encode(c, out, len, ctr_signature(c, id), args, step);
}

int ctr_calldata_text(mpavs_contracts_ctx *c, uint8_t **out, size_t *len, const char *sig, const char *args,
                      const char *step) {
    mpavs_abi_signature *s = NULL;
    int r = mpavs_abi_signature_parse(&s, sig);
    if (r) return ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, step, "bad signature %s (%s)", sig, mpavs_abi_strerror(r));
    r = encode(c, out, len, s, args, step);
    mpavs_abi_signature_free(s);
    return r;
}

int ctr_send_raw(mpavs_contracts_ctx *c, const mpavs_address *to, const uint8_t *data, size_t len, const char *step,
                 mpavs_address *created, uint64_t *gas_used) {
    return ctr_send_raw_value(c, to, NULL, data, len, step, created, gas_used);
}

int ctr_send_raw_value(mpavs_contracts_ctx *c, const mpavs_address *to, const mpavs_u256 *value, const uint8_t *data,
                       size_t len, const char *step, mpavs_address *created, uint64_t *gas_used) {
    mpavs_sender_result res;
    mpavs_error err = {0};
    int r = mpavs_sender_send(c->sender, &res, &err, to ? to->bytes : NULL, value, data, len, 0, ctr_errors,
                              ctr_nerrors);
    int code = MPAVS_CONTRACTS_OK;
    if (r == MPAVS_SENDER_ERR_REVERTS) {
        code = ctr_fail(c, MPAVS_CONTRACTS_ERR_REVERTED, step, "reverts: %s", res.revert_reason);
    } else if (r == MPAVS_SENDER_ERR_NOMEM) {
        code = ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, step, "out of memory");
    } else if (r == MPAVS_SENDER_ERR_RPC) {
        code = ctr_fail(c, MPAVS_CONTRACTS_ERR_RPC, step, "%s (%s)", mpavs_sender_strerror(r), err.message);
        keep_rpc_detail(c, &err);
    } else if (r != MPAVS_SENDER_OK) {
        code = ctr_fail(c, MPAVS_CONTRACTS_ERR_SEND, step, "%s (%s)", mpavs_sender_strerror(r), err.message);
        keep_rpc_detail(c, &err);
    } else if (!res.success) {
        code = ctr_fail(c, MPAVS_CONTRACTS_ERR_REVERTED, step, "transaction failed: %s",
                       res.revert_reason[0] ? res.revert_reason : "no reason");
    } else {
        if (created) {
            if (!res.receipt.has_contract_address)
                code = ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, step, "receipt without contract address");
            else
                memcpy(created->bytes, res.receipt.contract_address, 20);
        }
        if (gas_used) *gas_used = res.gas_used;
    }
    if (r == MPAVS_SENDER_OK) {
        c->gas_used = res.gas_used;
        memcpy(c->tx_hash, res.tx_hash, 32);
        c->block_number = res.block_number;
    }
    mpavs_sender_result_clear(&res);
    mpavs_error_clear(&err);
    return code;
}

int ctr_tx(mpavs_contracts_ctx *c, const mpavs_address *to, ctr_sig id, const char *args, const char *step) {
    return ctr_tx_value(c, to, NULL, id, args, step);
}

int ctr_tx_args(mpavs_contracts_ctx *c, const mpavs_address *to, ctr_sig id, ctr_str *a, const char *step) {
    int r = a->oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, step, "out of memory") : ctr_tx(c, to, id, a->s, step);
    ctr_str_free(a);
    return r;
}

int ctr_tx_value(mpavs_contracts_ctx *c, const mpavs_address *to, const mpavs_u256 *value, ctr_sig id, const char *args,
                 const char *step) {
    uint8_t *data = NULL;
    size_t len = 0;
    int r = ctr_calldata(c, &data, &len, id, args, step);
    if (r) return r;
    r = ctr_send_raw_value(c, to, value, data, len, step, NULL, NULL);
    free(data);
    return r;
}

int ctr_tx_text(mpavs_contracts_ctx *c, const mpavs_address *to, const char *sig, const char *args, const char *step) {
    uint8_t *data = NULL;
    size_t len = 0;
    int r = ctr_calldata_text(c, &data, &len, sig, args, step);
    if (r) return r;
    r = ctr_send_raw(c, to, data, len, step, NULL, NULL);
    free(data);
    return r;
}

int ctr_call(mpavs_contracts_ctx *c, const mpavs_address *to, ctr_sig id, const char *args, const char *tag,
             mpavs_abi_value **ret, const char *step) {
    *ret = NULL;
    const mpavs_abi_signature *s = ctr_signature(c, id);
    MPAVS_REQUIRE(s->outputs);
    uint8_t *data = NULL, *out = NULL;
    size_t len = 0, olen = 0;
    int r = encode(c, &data, &len, s, args, step);
    if (r) return r;
    mpavs_rpc_callmsg m = {.from = c->sender ? mpavs_sender_address(c->sender)->bytes : NULL, .to = to->bytes, .data = data,
                           .data_len = len};
    mpavs_error err = {0};
    r = mpavs_rpc_eth_call(c->rpc, &out, &olen, &err, &m, tag ? tag : "latest");
    free(data);
    if (r == MPAVS_RPC_ERR_RPC && err.data) {
        char *why = NULL;
        if (mpavs_abi_decode_revert(&why, err.data, err.data_len, ctr_errors, ctr_nerrors) == MPAVS_ABI_OK)
            r = ctr_fail(c, MPAVS_CONTRACTS_ERR_REVERTED, step, "%s reverts: %s", s->canonical, why);
        else
            r = ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, step, "out of memory");
        free(why);
        keep_rpc_detail(c, &err);
    } else if (r) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_RPC, step, "eth_call %s: %s (%s)", s->canonical, mpavs_rpc_strerror(r),
                    err.message);
        keep_rpc_detail(c, &err);
    } else {
        int d = mpavs_abi_decode(ret, s->outputs, out, olen);
        r = d ? ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, step, "cannot decode %s output (%zu bytes: %s)", s->canonical,
                        olen, mpavs_abi_strerror(d))
              : MPAVS_CONTRACTS_OK;
    }
    free(out);
    mpavs_error_clear(&err);
    return r;
}

