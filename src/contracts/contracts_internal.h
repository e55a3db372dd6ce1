/*
 * src/contracts/contracts_internal.h — helpers shared by the contracts module and the devnet
 * library above it (not exported): the signature table parsed once per context, a growable
 * text buffer, error reporting into the context, calldata from a pre-parsed signature and a
 * cast-syntax argument tuple, sending/calling with decoded reverts.
 */
#ifndef MPAVS_CONTRACTS_INTERNAL_H
#define MPAVS_CONTRACTS_INTERNAL_H

#include "mpavs/abi.h"
#include "mpavs/contracts.h"

#include <stdarg.h>

/*
 * Every call signature production code uses, "name(inputs)" for transactions and
 * "name(inputs)(outputs)" for eth_call: X(id, text). mpavs_contracts_init parses each once.
 */
#define CT_SIGNATURES(X)                                                                                              \
    /* DelegationManager, StrategyManager, ERC20, IStrategy */                                                        \
    X(CT_REGISTER_AS_OPERATOR, "registerAsOperator((address,address,uint32),string)")                                 \
    X(CT_APPROVE, "approve(address,uint256)")                                                                         \
    X(CT_DEPOSIT_INTO_STRATEGY, "depositIntoStrategy(address,address,uint256)")                                       \
    X(CT_IS_OPERATOR, "isOperator(address)(bool)")                                                                    \
    X(CT_OPERATOR_SHARES, "operatorShares(address,address)(uint256)")                                                 \
    X(CT_STRATEGY_MANAGER, "strategyManager()(address)")                                                              \
    X(CT_UNDERLYING_TOKEN, "underlyingToken()(address)")                                                              \
    X(CT_DECIMALS, "decimals()(uint8)")                                                                               \
    X(CT_OPERATOR_AVS_DIGEST,                                                                                          \
      "calculateOperatorAVSRegistrationDigestHash(address,address,bytes32,uint256)(bytes32)")                          \
    /* RegistryCoordinator, StakeRegistry, BLSApkRegistry, OperatorStateRetriever */                                  \
    X(CT_REGISTER_OPERATOR, "registerOperator(bytes,string,((uint256,uint256),(uint256,uint256),"                     \
                            "(uint256[2],uint256[2])),(bytes,bytes32,uint256))")                                      \
    X(CT_DEREGISTER_OPERATOR, "deregisterOperator(bytes)")                                                            \
    X(CT_PUBKEY_REGISTRATION_HASH, "pubkeyRegistrationMessageHash(address)((uint256,uint256))")                       \
    X(CT_GET_OPERATOR_ID, "getOperatorId(address)(bytes32)")                                                          \
    X(CT_GET_OPERATOR_STATUS, "getOperatorStatus(address)(uint8)")                                                    \
    X(CT_QUORUM_COUNT, "quorumCount()(uint8)")                                                                        \
    X(CT_QUORUM_BITMAP, "getCurrentQuorumBitmap(bytes32)(uint192)")                                                   \
    X(CT_SERVICE_MANAGER, "serviceManager()(address)")                                                                \
    X(CT_STAKE_REGISTRY, "stakeRegistry()(address)")                                                                  \
    X(CT_BLS_APK_REGISTRY, "blsApkRegistry()(address)")                                                               \
    X(CT_INDEX_REGISTRY, "indexRegistry()(address)")                                                                  \
    X(CT_DELEGATION, "delegation()(address)")                                                                         \
    X(CT_GET_CURRENT_STAKE, "getCurrentStake(bytes32,uint8)(uint96)")                                                 \
    X(CT_GET_APK, "getApk(uint8)((uint256,uint256))")                                                                 \
    X(CT_CHECK_SIGNATURES_INDICES,                                                                                     \
      "getCheckSignaturesIndices(address,uint32,bytes,bytes32[])((uint32[],uint32[],uint32[],uint32[][]))")           \
    /* MultiProverServiceManager */                                                                                    \
    X(CT_CONFIRM_STATE, "confirmState((uint256,bytes,bytes,bytes,bytes,uint32),(uint32[],(uint256,uint256)[],"        \
                        "(uint256,uint256)[],(uint256[2],uint256[2]),(uint256,uint256),uint32[],uint32[],uint32[][]))")  \
    X(CT_TASK_ID, "taskId()(uint32)")                                                                                 \
    X(CT_AVS_DIRECTORY, "avsDirectory()(address)")                                                                    \
    X(CT_IS_POA_ENABLED, "isPoAEnabled()(bool)")                                                                      \
    X(CT_IS_WHITELISTED, "isOperatorWhitelisted(address)(bool)")                                                      \
    /* TEELivenessVerifier */                                                                                          \
    X(CT_SUBMIT_LIVENESS, "submitLivenessProofV2(((bytes32,bytes32),uint256,bytes32,bytes32),bytes)")                 \
    X(CT_VERIFY_LIVENESS, "verifyLivenessProofV2(bytes32,bytes32,address)(bool)")                                     \
    X(CT_ATTESTED_PROVERS, "attestedProvers(bytes32)((bytes32,bytes32),uint256)")                                     \
    X(CT_ATTESTED_PROVER_ADDR, "attestedProverAddr(bytes32)(address)")                                                \
    X(CT_ATTEST_VALIDITY, "attestValiditySeconds()(uint256)")

typedef enum {
#define CT_ENUM(id, text) id,
    CT_SIGNATURES(CT_ENUM)
#undef CT_ENUM
        CT_NSIGS
} ct_sig;

/* What mpavs_contracts_init allocates. */
struct mpavs_contracts_sigs {
    mpavs_abi_signature *s[CT_NSIGS];
};

/* The parsed signature id of c. */
const mpavs_abi_signature *ct_signature(const mpavs_contracts_ctx *c, ct_sig id);

/* A growable NUL-terminated string; oom is sticky. */
typedef struct {
    char *s;
    size_t len, cap;
    bool oom;
} ct_str;

/* Append printf-formatted text. */
void ct_printf(ct_str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append "0x" and the lower-case hex of p[0..n). */
void ct_hex(ct_str *b, const uint8_t *p, size_t n);
/* Append an address as 0x lower-case hex. */
void ct_addr(ct_str *b, const mpavs_address *a);
/* Append a u256 in decimal. */
void ct_u256(ct_str *b, const mpavs_u256 *v);
/* Release the buffer. */
void ct_str_free(ct_str *b);

/* Write "step: message" to c->error and return code. */
int ct_fail(mpavs_contracts_ctx *c, int code, const char *step, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The custom error signatures of the AVS contracts (for revert decoding). */
extern const char *const ct_errors[];
extern const size_t ct_nerrors;

/* Calldata of the pre-parsed signature id with its arguments as one cast-syntax tuple text "(a, b, ...)". */
int ct_calldata(mpavs_contracts_ctx *c, uint8_t **out, size_t *len, ct_sig id, const char *args, const char *step);
/* As ct_calldata for a text signature parsed on this call (devnet tooling: deployment, one-off calls). */
int ct_calldata_text(mpavs_contracts_ctx *c, uint8_t **out, size_t *len, const char *sig, const char *args,
                     const char *step);
/*
 * Send data to `to` (NULL: create a contract) from the sender; a revert, failure or
 * non-success receipt becomes an error. Out: *created (may be NULL) for creations,
 * *gas_used (may be NULL).
 */
int ct_send_raw(mpavs_contracts_ctx *c, const mpavs_address *to, const uint8_t *data, size_t len, const char *step,
                mpavs_address *created, uint64_t *gas_used);
/* ct_calldata + ct_send_raw. args may be NULL for "()". */
int ct_tx(mpavs_contracts_ctx *c, const mpavs_address *to, ct_sig id, const char *args, const char *step);
/* ct_calldata_text + ct_send_raw (devnet tooling). */
int ct_tx_text(mpavs_contracts_ctx *c, const mpavs_address *to, const char *sig, const char *args, const char *step);
/*
 * eth_call of the pre-parsed signature id "f(in)(out)" at tag (NULL: "latest") and decode the
 * outputs. Out: *ret (a tuple of the outputs; release with mpavs_abi_value_free; its types
 * belong to the context's signature table).
 */
int ct_call(mpavs_contracts_ctx *c, const mpavs_address *to, ct_sig id, const char *args, const char *tag,
            mpavs_abi_value **ret, const char *step);

#endif
