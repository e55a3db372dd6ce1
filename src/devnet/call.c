/*
 * src/devnet/call.c — text buffers, calldata, transactions and calls with decoded reverts,
 * forge artifacts and contract creation for the devnet module.
 */
#include "devnet_internal.h"

#include "mpavs/hex.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const dv_errors[] = {
    /* custom errors of contracts/src (tests/integration/contracts_errors.sh checks that none is missing) */
    /* IMultiProverServiceManager */
    "OnlyRegistryCoordinator()", "CommitteeExist()", "CommitteeNotExist()", "InsufficientThreshold()",
    "InvalidQuorum()", "InvalidQuorumParam()", "InvalidSender()", "NoPermission()", "NotWhitelisted()",
    "QuorumNotInitialized()", "TEEQuorumExist()", "TEEQuorumNotExist()", "TEEQuorumUsed()", "ZeroAddr()",
    "ZeroId()", "QuorumsMismatch()", "ThresholdBelowMinimum(uint8,uint8,uint8)", "InvalidThreshold()",
    "StateAlreadyConfirmed()", "SequenceMismatch()",
    /* RollupBridge (contracts/src/examples) */
    "StateNotConfirmed(uint256)", "StateMismatch(uint256)",
    /* ITEELivenessVerifier */
    "INVALID_REPORT()", "INVALID_REPORT_DATA()", "BlockNumberMismatch()", "BlockNumberOutOfDate()",
    "InvalidBlockNumber()", "REPORT_DATA_MISMATCH(bytes)", "ReportAlreadyUsed()",
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
};
const size_t dv_nerrors = sizeof dv_errors / sizeof dv_errors[0];

const char *mpavs_devnet_strerror(int r) {
    switch (r) {
    case MPAVS_DEVNET_OK: return "ok";
    case MPAVS_DEVNET_ERR_ARG: return "bad argument";
    case MPAVS_DEVNET_ERR_ARTIFACT: return "bad or missing forge artifact";
    case MPAVS_DEVNET_ERR_RPC: return "rpc failure";
    case MPAVS_DEVNET_ERR_REVERTED: return "reverted";
    case MPAVS_DEVNET_ERR_SEND: return "transaction not sent or not mined";
    case MPAVS_DEVNET_ERR_DECODE: return "unexpected contract output";
    case MPAVS_DEVNET_ERR_CRYPTO: return "key or signing failure";
    case MPAVS_DEVNET_ERR_IO: return "i/o error";
    case MPAVS_DEVNET_ERR_NOMEM: return "out of memory";
    default: return "unknown devnet error";
    }
}

__attribute__((format(printf, 2, 0))) static void dv_vprintf(dv_str *b, const char *fmt, va_list ap) {
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

void dv_printf(dv_str *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    dv_vprintf(b, fmt, ap);
    va_end(ap);
}

void dv_hex(dv_str *b, const uint8_t *p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    dv_printf(b, "0x");
    char chunk[65];
    while (n) {
        size_t k = n < 32 ? n : 32;
        for (size_t i = 0; i < k; i++) {
            chunk[2 * i] = digits[p[i] >> 4];
            chunk[2 * i + 1] = digits[p[i] & 15];
        }
        chunk[2 * k] = 0;
        dv_printf(b, "%s", chunk);
        p += k;
        n -= k;
    }
}

void dv_addr(dv_str *b, const mpavs_address *a) { dv_hex(b, a->bytes, 20); }

void dv_u256(dv_str *b, const mpavs_u256 *v) {
    char dec[80];
    mpavs_u256_to_dec(dec, sizeof dec, v);
    dv_printf(b, "%s", dec);
}

void dv_str_free(dv_str *b) {
    free(b->s);
    memset(b, 0, sizeof *b);
}

int dv_fail(mpavs_devnet_ctx *c, int code, const char *step, const char *fmt, ...) {
    int n = snprintf(c->error, sizeof c->error, "%s: ", step);
    if (n < 0 || (size_t)n >= sizeof c->error) return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->error + n, sizeof c->error - (size_t)n, fmt, ap);
    va_end(ap);
    for (char *p = c->error; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    return code;
}

int dv_calldata(mpavs_devnet_ctx *c, uint8_t **out, size_t *len, const char *sig, const char *args, const char *step) {
    mpavs_abi_signature *s = NULL;
    mpavs_abi_value *v = NULL;
    int r = mpavs_abi_signature_parse(&s, sig);
    if (r) return dv_fail(c, MPAVS_DEVNET_ERR_ARG, step, "bad signature %s (%s)", sig, mpavs_abi_strerror(r));
    r = mpavs_abi_value_parse(&v, s->inputs, args ? args : "()");
    if (r) {
        mpavs_abi_signature_free(s);
        return dv_fail(c, MPAVS_DEVNET_ERR_ARG, step, "bad arguments for %s (%s)", sig, mpavs_abi_strerror(r));
    }
    r = mpavs_abi_encode_call(out, len, s, v);
    mpavs_abi_value_free(v);
    mpavs_abi_signature_free(s);
    if (r) return dv_fail(c, MPAVS_DEVNET_ERR_ARG, step, "cannot encode %s (%s)", sig, mpavs_abi_strerror(r));
    return MPAVS_DEVNET_OK;
}

int dv_send_raw(mpavs_devnet_ctx *c, const mpavs_address *to, const uint8_t *data, size_t len, const char *step,
                mpavs_address *created, uint64_t *gas_used) {
    mpavs_sender_result res;
    mpavs_rpc_error err = {0};
    int r = mpavs_sender_send(c->sender, &res, &err, to ? to->bytes : NULL, NULL, data, len, 0, dv_errors,
                              dv_nerrors);
    int code = MPAVS_DEVNET_OK;
    if (r == MPAVS_SENDER_ERR_REVERTS) {
        code = dv_fail(c, MPAVS_DEVNET_ERR_REVERTED, step, "reverts: %s", res.revert_reason);
    } else if (r == MPAVS_SENDER_ERR_NOMEM) {
        code = dv_fail(c, MPAVS_DEVNET_ERR_NOMEM, step, "out of memory");
    } else if (r == MPAVS_SENDER_ERR_RPC) {
        code = dv_fail(c, MPAVS_DEVNET_ERR_RPC, step, "%s (%s)", mpavs_sender_strerror(r), err.message);
    } else if (r != MPAVS_SENDER_OK) {
        code = dv_fail(c, MPAVS_DEVNET_ERR_SEND, step, "%s (%s)", mpavs_sender_strerror(r), err.message);
    } else if (!res.success) {
        code = dv_fail(c, MPAVS_DEVNET_ERR_REVERTED, step, "transaction failed: %s",
                       res.revert_reason[0] ? res.revert_reason : "no reason");
    } else {
        if (created) {
            if (!res.receipt.has_contract_address)
                code = dv_fail(c, MPAVS_DEVNET_ERR_DECODE, step, "receipt without contract address");
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
    mpavs_rpc_error_clear(&err);
    return code;
}

int dv_tx(mpavs_devnet_ctx *c, const mpavs_address *to, const char *sig, const char *args, const char *step) {
    uint8_t *data = NULL;
    size_t len = 0;
    int r = dv_calldata(c, &data, &len, sig, args, step);
    if (r) return r;
    r = dv_send_raw(c, to, data, len, step, NULL, NULL);
    free(data);
    return r;
}

int dv_call(mpavs_devnet_ctx *c, const mpavs_address *to, const char *sig, const char *args, const char *tag,
            mpavs_abi_value **ret, mpavs_abi_signature **sig_out, const char *step) {
    *ret = NULL;
    *sig_out = NULL;
    mpavs_abi_signature *s = NULL;
    int r = mpavs_abi_signature_parse(&s, sig);
    if (r || !s->outputs) {
        mpavs_abi_signature_free(s);
        return dv_fail(c, MPAVS_DEVNET_ERR_ARG, step, "bad signature %s", sig);
    }
    uint8_t *data = NULL, *out = NULL;
    size_t len = 0, olen = 0;
    r = dv_calldata(c, &data, &len, sig, args, step);
    if (r) {
        mpavs_abi_signature_free(s);
        return r;
    }
    mpavs_rpc_callmsg m = {.from = c->sender ? mpavs_sender_address(c->sender)->bytes : NULL, .to = to->bytes, .data = data,
                           .data_len = len};
    mpavs_rpc_error err = {0};
    r = mpavs_rpc_eth_call(c->rpc, &out, &olen, &err, &m, tag ? tag : "latest");
    free(data);
    if (r == MPAVS_RPC_ERR_RPC && err.data) {
        char *why = NULL;
        if (mpavs_abi_decode_revert(&why, err.data, err.data_len, dv_errors, dv_nerrors) == MPAVS_ABI_OK)
            r = dv_fail(c, MPAVS_DEVNET_ERR_REVERTED, step, "%s reverts: %s", s->canonical, why);
        else
            r = dv_fail(c, MPAVS_DEVNET_ERR_NOMEM, step, "out of memory");
        free(why);
    } else if (r) {
        r = dv_fail(c, MPAVS_DEVNET_ERR_RPC, step, "eth_call %s: %s (%s)", s->canonical, mpavs_rpc_strerror(r),
                    err.message);
    } else {
        int d = mpavs_abi_decode(ret, s->outputs, out, olen);
        r = d ? dv_fail(c, MPAVS_DEVNET_ERR_DECODE, step, "cannot decode %s output (%zu bytes: %s)", s->canonical,
                        olen, mpavs_abi_strerror(d))
              : MPAVS_DEVNET_OK;
    }
    free(out);
    mpavs_rpc_error_clear(&err);
    if (r) {
        mpavs_abi_signature_free(s);
        return r;
    }
    *sig_out = s;
    return MPAVS_DEVNET_OK;
}

/* Read the creation bytecode of <dir>/<file>.sol/<name>.json. */
static int dv_artifact(mpavs_devnet_ctx *c, const char *dir, const char *file, const char *name, uint8_t **code,
                       size_t *len) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s.sol/%s.json", dir, file, name) >= (int)sizeof path)
        return dv_fail(c, MPAVS_DEVNET_ERR_ARG, name, "artifact path too long");
    json_error_t je;
    json_t *art = json_load_file(path, 0, &je);
    if (!art)
        return dv_fail(c, MPAVS_DEVNET_ERR_ARTIFACT, name, "cannot read %s (%s; run forge build in contracts/)", path,
                       je.text);
    const char *hex = json_string_value(json_object_get(json_object_get(art, "bytecode"), "object"));
    int r = MPAVS_DEVNET_OK;
    if (!hex || strlen(hex) < 4) {
        r = dv_fail(c, MPAVS_DEVNET_ERR_ARTIFACT, name, "%s has no bytecode.object", path);
    } else if (strstr(hex, "__$")) {
        r = dv_fail(c, MPAVS_DEVNET_ERR_ARTIFACT, name, "%s needs library linking (unsupported)", path);
    } else {
        size_t cap = strlen(hex) / 2 + 1;
        *code = malloc(cap);
        if (!*code) {
            r = dv_fail(c, MPAVS_DEVNET_ERR_NOMEM, name, "out of memory");
        } else if (mpavs_hex_decode(*code, cap, len, hex, strlen(hex)) != MPAVS_HEX_OK || *len == 0) {
            free(*code);
            *code = NULL;
            r = dv_fail(c, MPAVS_DEVNET_ERR_ARTIFACT, name, "%s: bytecode.object is not hex", path);
        }
    }
    json_decref(art);
    return r;
}

int dv_deploy(mpavs_devnet_ctx *c, const char *dir, const char *file, const char *name, const char *ctor_types,
              const char *args, mpavs_address *addr) {
    uint8_t *code = NULL, *enc = NULL;
    size_t clen = 0, elen = 0;
    int r = dv_artifact(c, dir, file, name, &code, &clen);
    if (r) return r;
    if (ctor_types) {
        mpavs_abi_type *t = NULL;
        mpavs_abi_value *v = NULL;
        int a = mpavs_abi_type_parse(&t, ctor_types);
        if (!a) a = mpavs_abi_value_parse(&v, t, args);
        if (!a) a = mpavs_abi_encode(&enc, &elen, v);
        mpavs_abi_value_free(v);
        mpavs_abi_type_free(t);
        if (a) {
            free(code);
            return dv_fail(c, MPAVS_DEVNET_ERR_ARG, name, "constructor arguments %s: %s", ctor_types,
                           mpavs_abi_strerror(a));
        }
    }
    uint8_t *init = malloc(clen + elen);
    if (!init) {
        free(code);
        free(enc);
        return dv_fail(c, MPAVS_DEVNET_ERR_NOMEM, name, "out of memory");
    }
    memcpy(init, code, clen);
    if (elen) memcpy(init + clen, enc, elen);
    char step[128];
    snprintf(step, sizeof step, "deploy %s", name);
    r = dv_send_raw(c, NULL, init, clen + elen, step, addr, NULL);
    free(init);
    free(code);
    free(enc);
    return r;
}
