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
#define CTR_SIGNATURES(X)                                                                                              \
    /* DelegationManager, StrategyManager, ERC20, IStrategy */                                                        \
    X(CTR_REGISTER_AS_OPERATOR, "registerAsOperator((address,address,uint32),string)")                                 \
    X(CTR_MODIFY_OPERATOR_DETAILS, "modifyOperatorDetails((address,address,uint32))")                                \
    X(CTR_UPDATE_OPERATOR_METADATA_URI, "updateOperatorMetadataURI(string)")                                           \
    X(CTR_OPERATOR_DETAILS, "operatorDetails(address)((address,address,uint32))")                                      \
    /* DelegationManager and AllocationManager of EigenLayer's slashing release (operator_slashing.c) */            \
    X(CTR_DM_ALLOCATION_MANAGER, "allocationManager()(address)")                                                       \
    X(CTR_REGISTER_AS_OPERATOR_SL, "registerAsOperator(address,uint32,string)")                                        \
    X(CTR_MODIFY_OPERATOR_DETAILS_SL, "modifyOperatorDetails(address,address)")                                        \
    X(CTR_UPDATE_OPERATOR_METADATA_URI_SL, "updateOperatorMetadataURI(address,string)")                                \
    X(CTR_DELEGATION_APPROVER, "delegationApprover(address)(address)")                                                 \
    X(CTR_GET_ALLOCATION_DELAY, "getAllocationDelay(address)(bool,uint32)")                                            \
    X(CTR_ALLOCATION_CONFIGURATION_DELAY, "ALLOCATION_CONFIGURATION_DELAY()(uint32)")                                  \
    X(CTR_APPROVE, "approve(address,uint256)")                                                                         \
    X(CTR_DEPOSIT_INTO_STRATEGY, "depositIntoStrategy(address,address,uint256)")                                       \
    X(CTR_IS_OPERATOR, "isOperator(address)(bool)")                                                                    \
    X(CTR_OPERATOR_SHARES, "operatorShares(address,address)(uint256)")                                                 \
    X(CTR_STRATEGY_MANAGER, "strategyManager()(address)")                                                              \
    X(CTR_UNDERLYING_TOKEN, "underlyingToken()(address)")                                                              \
    X(CTR_DECIMALS, "decimals()(uint8)")                                                                               \
    X(CTR_BALANCE_OF, "balanceOf(address)(uint256)")                                                                   \
    X(CTR_ALLOWANCE, "allowance(address,address)(uint256)")                                                            \
    X(CTR_OPERATOR_AVS_DIGEST,                                                                                          \
      "calculateOperatorAVSRegistrationDigestHash(address,address,bytes32,uint256)(bytes32)")                          \
    /* RegistryCoordinator, StakeRegistry, BLSApkRegistry, OperatorStateRetriever */                                  \
    X(CTR_REGISTER_OPERATOR, "registerOperator(bytes,string,((uint256,uint256),(uint256,uint256),"                     \
                            "(uint256[2],uint256[2])),(bytes,bytes32,uint256))")                                      \
    X(CTR_DEREGISTER_OPERATOR, "deregisterOperator(bytes)")                                                            \
    X(CTR_PUBKEY_REGISTRATION_HASH, "pubkeyRegistrationMessageHash(address)((uint256,uint256))")                       \
    X(CTR_GET_OPERATOR_ID, "getOperatorId(address)(bytes32)")                                                          \
    X(CTR_GET_OPERATOR_STATUS, "getOperatorStatus(address)(uint8)")                                                    \
    X(CTR_QUORUM_COUNT, "quorumCount()(uint8)")                                                                        \
    X(CTR_QUORUM_BITMAP, "getCurrentQuorumBitmap(bytes32)(uint192)")                                                   \
    X(CTR_SERVICE_MANAGER, "serviceManager()(address)")                                                                \
    X(CTR_STAKE_REGISTRY, "stakeRegistry()(address)")                                                                  \
    X(CTR_BLS_APK_REGISTRY, "blsApkRegistry()(address)")                                                               \
    X(CTR_INDEX_REGISTRY, "indexRegistry()(address)")                                                                  \
    X(CTR_DELEGATION, "delegation()(address)")                                                                         \
    X(CTR_GET_CURRENT_STAKE, "getCurrentStake(bytes32,uint8)(uint96)")                                                 \
    X(CTR_GET_APK, "getApk(uint8)((uint256,uint256))")                                                                 \
    X(CTR_CHECK_SIGNATURES_INDICES,                                                                                     \
      "getCheckSignaturesIndices(address,uint32,bytes,bytes32[])((uint32[],uint32[],uint32[],uint32[][]))")           \
    /* MultiProverServiceManager */                                                                                    \
    X(CTR_CONFIRM_STATE, "confirmState((uint256,bytes,bytes,bytes,bytes,uint32),(uint32[],(uint256,uint256)[],"        \
                        "(uint256,uint256)[],(uint256[2],uint256[2]),(uint256,uint256),uint32[],uint32[],uint32[][]))")  \
    X(CTR_TASK_ID, "taskId()(uint32)")                                                                                 \
    X(CTR_STATE_CONFIRMER, "stateConfirmer()(address)")                                                               \
    X(CTR_GET_CONFIRMED_STATE, "getConfirmedState(uint256,bytes)((bytes,uint32,uint32,uint32,uint256))")              \
    X(CTR_LATEST_CONFIRMED_STATE, "latestConfirmedState(uint256)(bytes32,(bytes,uint32,uint32,uint32,uint256))")       \
    X(CTR_AVS_DIRECTORY, "avsDirectory()(address)")                                                                    \
    X(CTR_IS_POA_ENABLED, "isPoAEnabled()(bool)")                                                                      \
    X(CTR_IS_WHITELISTED, "isOperatorWhitelisted(address)(bool)")                                                      \
    /* TEELivenessVerifier */                                                                                          \
    X(CTR_SUBMIT_LIVENESS, "submitLivenessProofV2(((bytes32,bytes32),uint256,bytes32,bytes32),bytes)")                 \
    X(CTR_SUBMIT_LIVENESS_V3, "submitLivenessProofV3(((bytes32,bytes32),uint256,bytes32,bytes32),bytes,"                \
                             "(uint256[2],uint256[2]),(uint256,uint256))")                                              \
    X(CTR_SUBMIT_LIVENESS_V4, "submitLivenessProofV4(((bytes32,bytes32),uint256,bytes32,bytes32),bytes,"                \
                             "(uint256[2],uint256[2]),(uint256,uint256),uint8)")                                        \
    X(CTR_LIVENESS_AUTH_VERSION, "livenessAuthorizationVersion()(uint256)")                                            \
    X(CTR_ESTIMATE_FEE, "estimateBaseFeeVerifyOnChain(bytes)(uint256)")                                                \
    X(CTR_LIVENESS_AUTH_DIGEST, "livenessAuthorizationDigest(((bytes32,bytes32),uint256,bytes32,bytes32),address)"     \
                               "(bytes32)")                                                                             \
    X(CTR_VERIFY_LIVENESS, "verifyLivenessProofV2(bytes32,bytes32,address)(bool)")                                     \
    X(CTR_ATTESTED_PROVERS, "attestedProvers(bytes32)((bytes32,bytes32),uint256)")                                     \
    X(CTR_ATTESTED_PROVER_ADDR, "attestedProverAddr(bytes32)(address)")                                                \
    X(CTR_ATTEST_VALIDITY, "attestValiditySeconds()(uint256)")

typedef enum {
#define CTR_ENUM(id, text) id,
    CTR_SIGNATURES(CTR_ENUM)
#undef CTR_ENUM
        CTR_NSIGS
} ctr_sig;

/* What mpavs_contracts_init allocates. */
struct mpavs_contracts_sigs {
    mpavs_abi_signature *s[CTR_NSIGS];
};

/* The parsed signature id of c. */
const mpavs_abi_signature *ctr_signature(const mpavs_contracts_ctx *c, ctr_sig id);

/* A growable NUL-terminated string; oom is sticky. */
typedef struct {
    char *s;
    size_t len, cap;
    bool oom;
} ctr_str;

/* Append printf-formatted text. */
void ctr_printf(ctr_str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append "0x" and the lower-case hex of p[0..n). */
void ctr_hex(ctr_str *b, const uint8_t *p, size_t n);
/* Append an address as 0x lower-case hex. */
void ctr_addr(ctr_str *b, const mpavs_address *a);
/* Append a u256 in decimal. */
void ctr_u256(ctr_str *b, const mpavs_u256 *v);
/* Release the buffer. */
void ctr_str_free(ctr_str *b);
/* Append a G1 point as "(X,Y)" (0x hex words). */
void ctr_g1(ctr_str *b, const mpavs_bn254_g1 *p);
/* Append a G2 point as "([X0,X1],[Y0,Y1])" in Solidity (EVM precompile) order. */
void ctr_g2(ctr_str *b, const mpavs_bn254_g2 *p);

/*
 * Check a metadata URI for step: MPAVS_CONTRACTS_OK when the text argument syntax carries it (at
 * most 1024 bytes, no '"' or '\\'), else MPAVS_CONTRACTS_ERR_ARG (also for NULL) in c->error.
 */
int ctr_uri_check(mpavs_contracts_ctx *c, const char *uri, const char *step);

/* Write "step: message" to c->error and return code. */
int ctr_fail(mpavs_contracts_ctx *c, int code, const char *step, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The custom error signatures of the AVS contracts (for revert decoding). */
extern const char *const ctr_errors[];
extern const size_t ctr_nerrors;

/* Calldata of the pre-parsed signature id with its arguments as one cast-syntax tuple text "(a, b, ...)". */
int ctr_calldata(mpavs_contracts_ctx *c, uint8_t **out, size_t *len, ctr_sig id, const char *args, const char *step);
/* As ctr_calldata for a text signature parsed on this call (devnet tooling: deployment, one-off calls). */
int ctr_calldata_text(mpavs_contracts_ctx *c, uint8_t **out, size_t *len, const char *sig, const char *args,
                     const char *step);
/*
 * Send data to `to` (NULL: create a contract) from the sender; a revert, failure or
 * non-success receipt becomes an error. Out: *created (may be NULL) for creations,
 * *gas_used (may be NULL).
 */
int ctr_send_raw(mpavs_contracts_ctx *c, const mpavs_address *to, const uint8_t *data, size_t len, const char *step,
                mpavs_address *created, uint64_t *gas_used);
/* As ctr_send_raw with value wei sent along (NULL: 0). */
int ctr_send_raw_value(mpavs_contracts_ctx *c, const mpavs_address *to, const mpavs_u256 *value, const uint8_t *data,
                       size_t len, const char *step, mpavs_address *created, uint64_t *gas_used);
/* As ctr_tx with value wei sent along (NULL: 0). */
int ctr_tx_value(mpavs_contracts_ctx *c, const mpavs_address *to, const mpavs_u256 *value, ctr_sig id, const char *args,
                 const char *step);
/* mpavs_contracts_submit_liveness with value wei sent along (NULL: 0). */
int ctr_submit_liveness_value(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                              const mpavs_contracts_report_data *data, const uint8_t *quote, size_t len,
                              const mpavs_u256 *value);
/*
 * Append the head of a liveness submission's arguments, shared by submitLivenessProofV2/V3/V4:
 * the ReportDataV2 tuple and the quote, "((X,Y),refBlockNumber,refBlockHash,proverAddressHash),0xquote".
 */
void ctr_liveness_args(ctr_str *b, const mpavs_contracts_report_data *data, const uint8_t *quote, size_t len);
/* ctr_calldata + ctr_send_raw. args may be NULL for "()". */
int ctr_tx(mpavs_contracts_ctx *c, const mpavs_address *to, ctr_sig id, const char *args, const char *step);
/*
 * ctr_tx with the arguments built in *a, which it releases (ctr_str_free); a sticky
 * out-of-memory in *a is MPAVS_CONTRACTS_ERR_NOMEM for step, nothing sent.
 */
int ctr_tx_args(mpavs_contracts_ctx *c, const mpavs_address *to, ctr_sig id, ctr_str *a, const char *step);
/* ctr_calldata_text + ctr_send_raw (devnet tooling). */
int ctr_tx_text(mpavs_contracts_ctx *c, const mpavs_address *to, const char *sig, const char *args, const char *step);
/*
 * eth_call of the pre-parsed signature id "f(in)(out)" at tag (NULL: "latest") and decode the
 * outputs. Out: *ret (a tuple of the outputs; release with mpavs_abi_value_free; its types
 * belong to the context's signature table).
 */
int ctr_call(mpavs_contracts_ctx *c, const mpavs_address *to, ctr_sig id, const char *args, const char *tag,
            mpavs_abi_value **ret, const char *step);

#endif
