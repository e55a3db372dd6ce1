/*
 * mpavs/contracts.h — the calls production code makes to the AVS contracts (the reference
 * Multi-Prover AVS and the EigenLayer core/middleware it sits on), on any network: state
 * confirmation (MultiProverServiceManager.confirmState), liveness submission and status
 * (TEELivenessVerifier), registry reads, operator registration, deposit, opt-in and opt-out.
 * Deployment of a devnet stack is in mpavs/devnet.h (a separate library, libmpavs-devnet.a);
 * the registry state an aggregator works from is in mpavs/registry.h.
 *
 * Every call goes through a context (mpavs_contracts_init / mpavs_contracts_clear) holding a
 * JSON-RPC client and a transaction sender (both borrowed) and the call signatures, parsed once
 * by mpavs_contracts_init. On failure the functions return a code and fill ctx->error (an
 * mpavs_error, module "contracts"): the same code, the message "<step>: <reason>" with revert
 * reasons decoded against the contracts' custom errors and, when a node refused an eth_call,
 * its JSON-RPC code and revert data. A context must be used by one thread at a time (as its rpc and sender).
 * Read-only functions accept a context without a sender (eth_call without "from").
 */
#ifndef MPAVS_CONTRACTS_H
#define MPAVS_CONTRACTS_H

#include "mpavs/bn254.h"
#include "mpavs/common.h"
#include "mpavs/ecdsa.h"
#include "mpavs/rpc.h"
#include "mpavs/sender.h"
#include "mpavs/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_CONTRACTS_OK = 0,
    MPAVS_CONTRACTS_ERR_ARG = 1,      /* an argument is unusable */
    MPAVS_CONTRACTS_ERR_RPC = 3,      /* the node could not be used */
    MPAVS_CONTRACTS_ERR_REVERTED = 4, /* a transaction or call reverted (reason in ctx->error) */
    MPAVS_CONTRACTS_ERR_SEND = 5,     /* a transaction could not be sent or was not mined */
    MPAVS_CONTRACTS_ERR_DECODE = 6,   /* a contract returned data of an unexpected shape */
    MPAVS_CONTRACTS_ERR_CRYPTO = 7,   /* a key is invalid or signing failed */
    MPAVS_CONTRACTS_ERR_NOMEM = 9,
} mpavs_contracts_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_contracts_strerror(int r);

/**
 * The custom error signatures every AVS contract of this project defines ("NoPermission()",
 * "TCB_STATUS_NOT_ALLOWED(uint8)", ...), as mpavs_abi_decode_revert takes them.
 * Out: *n (the count). Returns a static array.
 */
MPAVS_API const char *const *mpavs_contracts_error_signatures(size_t *n);

/** The call signatures of a context, parsed once (internal). */
typedef struct mpavs_contracts_sigs mpavs_contracts_sigs;

/** A context: rpc and sender are borrowed (the sender's account sends every transaction). */
typedef struct {
    mpavs_rpc *rpc;
    mpavs_sender *sender;  /* NULL: read-only (eth_call without "from", no transactions) */
    mpavs_error error;     /* set on failure (released by mpavs_contracts_clear) */
    uint64_t gas_used;     /* gas used by the last mined transaction this context sent */
    uint8_t tx_hash[32];   /* hash of that transaction (also set when it was mined but failed) */
    uint64_t block_number; /* block it was mined in */
    mpavs_contracts_sigs *sigs; /* owned: set by mpavs_contracts_init */
} mpavs_contracts_ctx;

/**
 * Initialise a caller-owned context: borrow rpc (required) and sender (may be NULL), parse every
 * call signature once. Out: *c (release with mpavs_contracts_clear, also after a failure).
 * Returns OK or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_init(mpavs_contracts_ctx *c, mpavs_rpc *rpc, mpavs_sender *sender);
/** Release what mpavs_contracts_init allocated and c->error (rpc and sender stay the caller's). NULL allowed. */
MPAVS_API void mpavs_contracts_clear(mpavs_contracts_ctx *c);

/** Addresses of a deployed stack (proxy addresses for proxied contracts). */
typedef struct {
    uint64_t chain_id;
    mpavs_address deployer, pauser_registry, delegation_manager, strategy_manager, avs_directory, strategy,
        token, registry_coordinator, bls_apk_registry, stake_registry, index_registry,
        operator_state_retriever, service_manager, tee_liveness_verifier, attestation_verifier,
        quote_verifier;
} mpavs_contracts_deployment;

/* ---------------- operator onboarding (the sender is the operator) ---------------- */

/**
 * DelegationManager.registerAsOperator((earningsReceiver = sender, approver 0, window 0), "").
 * Returns OK or an error (already registered: ERR_REVERTED).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_register_as_operator(mpavs_contracts_ctx *c,
                                                                     const mpavs_contracts_deployment *d);
/**
 * DelegationManager.OperatorDetails and the metadata URI of a registration (eigenlayer-cli's
 * operator.yaml). The M2 form uses earnings_receiver, delegation_approver and
 * staker_opt_out_window_blocks; the slashing release's form delegation_approver and
 * allocation_delay (earnings receiver and opt-out window no longer exist there).
 */
typedef struct {
    mpavs_address earnings_receiver;
    mpavs_address delegation_approver;     /* zero: anyone may delegate */
    uint32_t staker_opt_out_window_blocks;
    const char *metadata_uri;              /* "" or NULL: none; no '"' or '\\', at most 1024 bytes */
    uint32_t allocation_delay;             /* slashing form: AllocationManager allocation delay (blocks) */
    bool allocation_delay_set;             /* read back (slashing form): getAllocationDelay's isSet */
} mpavs_contracts_operator_details;

/** The operator-registration ABI of a DelegationManager (mpavs_contracts_delegation_form). */
typedef enum {
    /** EigenLayer M2: registerAsOperator((earningsReceiver, delegationApprover,
     *  stakerOptOutWindowBlocks), metadataURI), modifyOperatorDetails(details),
     *  updateOperatorMetadataURI(uri), operatorDetails(operator). */
    MPAVS_CONTRACTS_DM_M2 = 1,
    /** The slashing release (mainnet, Hoodi, Sepolia): registerAsOperator(initDelegationApprover,
     *  allocationDelay, metadataURI), modifyOperatorDetails(operator, newDelegationApprover),
     *  updateOperatorMetadataURI(operator, uri), delegationApprover(operator), and the
     *  AllocationManager (allocationManager()) keeping the allocation delay. */
    MPAVS_CONTRACTS_DM_SLASHING = 2,
} mpavs_contracts_dm_form;

/**
 * Which form d->delegation_manager speaks, from one eth_call of allocationManager(), a view only
 * the slashing release has: a non-zero address → SLASHING (*allocation_manager = it); a revert
 * (the M2 contract has no such function) → M2 (*allocation_manager zeroed). Out: *form,
 * *allocation_manager. Returns OK, ERR_RPC (the node failed: nothing is guessed) or ERR_DECODE (no
 * contract there, or a zero or malformed answer).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_delegation_form(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                                mpavs_contracts_dm_form *form,
                                                                mpavs_address *allocation_manager);

/**
 * Slashing form: DelegationManager.registerAsOperator(od->delegation_approver, od->allocation_delay,
 * od->metadata_uri) from the sender (the other fields are not used). Returns OK, ERR_ARG (an
 * unusable metadata URI) or a send error (already registered: ERR_REVERTED).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_register_operator_slashing(mpavs_contracts_ctx *c,
                                                                           const mpavs_contracts_deployment *d,
                                                                           const mpavs_contracts_operator_details *od);
/**
 * Slashing form: DelegationManager.delegationApprover(operator) and
 * AllocationManager(allocation_manager).getAllocationDelay(operator) at the latest block. Out: *od
 * (delegation_approver, allocation_delay, allocation_delay_set; the rest zero, metadata_uri NULL).
 * Returns OK, ERR_RPC, ERR_REVERTED or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_get_operator_details_slashing(mpavs_contracts_ctx *c,
                                                                              const mpavs_contracts_deployment *d,
                                                                              const mpavs_address *allocation_manager,
                                                                              const mpavs_address *operator_addr,
                                                                              mpavs_contracts_operator_details *od);
/**
 * Slashing form: DelegationManager.modifyOperatorDetails(sender, approver) from the sender.
 * Returns OK, ERR_NOMEM or a send error (not an operator: ERR_REVERTED).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_set_delegation_approver(mpavs_contracts_ctx *c,
                                                                        const mpavs_contracts_deployment *d,
                                                                        const mpavs_address *approver);
/**
 * Slashing form: DelegationManager.updateOperatorMetadataURI(sender, uri) from the sender (uri: no
 * '"' or '\\', at most 1024 bytes). Returns OK, ERR_ARG, ERR_NOMEM or a send error.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_update_operator_metadata_uri_slashing(mpavs_contracts_ctx *c,
                                                                                     const mpavs_contracts_deployment *d,
                                                                                     const char *uri);
/**
 * AllocationManager(allocation_manager).ALLOCATION_CONFIGURATION_DELAY(): the blocks before a new
 * allocation delay takes effect. Out: *blocks. Returns OK, ERR_RPC, ERR_REVERTED or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_allocation_configuration_delay(mpavs_contracts_ctx *c,
                                                                               const mpavs_address *allocation_manager,
                                                                               uint32_t *blocks);

/**
 * DelegationManager.registerAsOperator((earningsReceiver, delegationApprover,
 * stakerOptOutWindowBlocks), metadataURI) from the sender.
 * Returns OK, ERR_ARG (an unusable metadata URI) or a send error (already registered: ERR_REVERTED).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_register_operator_details(mpavs_contracts_ctx *c,
                                                                          const mpavs_contracts_deployment *d,
                                                                          const mpavs_contracts_operator_details *od);

/**
 * DelegationManager.operatorDetails(operator) at the latest block. Out: *od (metadata_uri NULL: the
 * DelegationManager only emits the URI, it does not store it). Returns OK, ERR_RPC, ERR_REVERTED or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_get_operator_details(mpavs_contracts_ctx *c,
                                                                     const mpavs_contracts_deployment *d,
                                                                     const mpavs_address *operator_addr,
                                                                     mpavs_contracts_operator_details *od);
/**
 * DelegationManager.modifyOperatorDetails((earningsReceiver, delegationApprover,
 * stakerOptOutWindowBlocks)) from the sender (od->metadata_uri is not used; the window may only grow).
 * Returns OK, ERR_NOMEM or a send error (not an operator: ERR_REVERTED).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_modify_operator_details(mpavs_contracts_ctx *c,
                                                                        const mpavs_contracts_deployment *d,
                                                                        const mpavs_contracts_operator_details *od);
/**
 * DelegationManager.updateOperatorMetadataURI(uri) from the sender (uri: no '"' or '\\', at most
 * 1024 bytes). Returns OK, ERR_ARG, ERR_NOMEM or a send error (not an operator: ERR_REVERTED).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_update_operator_metadata_uri(mpavs_contracts_ctx *c,
                                                                             const mpavs_contracts_deployment *d,
                                                                             const char *uri);

/** token.approve(strategyManager, amount) then StrategyManager.depositIntoStrategy(strategy, token, amount). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_deposit(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                        const mpavs_u256 *amount);

/**
 * Opt the sender into quorums of the AVS: RegistryCoordinator.registerOperator(quorums, socket,
 * PubkeyRegistrationParams, SignatureWithSaltAndExpiry). The proof of possession signs
 * pubkeyRegistrationMessageHash(sender) read from the chain (checked against the local
 * computation) with bls_sk; the AVSDirectory signature signs
 * calculateOperatorAVSRegistrationDigestHash(sender, serviceManager, salt, expiry) read from
 * the chain with ecdsa_sk (which must be the sender's key).
 * In: quorums/nquorums (quorum numbers, ascending), socket, salt (32 bytes), expiry (unix s).
 * Returns OK, ERR_ARG, ERR_CRYPTO, ERR_RPC, ERR_REVERTED, ERR_SEND, ERR_DECODE or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_opt_in(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                       const uint8_t ecdsa_sk[32], const uint8_t bls_sk[32],
                                                       const uint8_t *quorums, size_t nquorums, const char *socket,
                                                       const uint8_t salt[32], uint64_t expiry);

/** RegistryCoordinator.getOperatorId(operator). Out: id (zero when unregistered). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_operator_id(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                            const mpavs_address *operator_addr, uint8_t id[32]);
/** StakeRegistry.getCurrentStake(id, quorum). Out: *stake. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_current_stake(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                              const uint8_t id[32], uint8_t quorum, mpavs_u256 *stake);

/* ---------------- liveness (TEELivenessVerifier) ---------------- */

/** The TEELivenessVerifier.ReportDataV2 fields. pubkey_g1 is x || y (64 bytes). */
typedef struct {
    uint8_t pubkey_g1[64];
    uint64_t reference_block_number;
    uint8_t reference_block_hash[32];
    uint8_t prover_address_hash[32];
} mpavs_contracts_report_data;

/**
 * The 64-byte REPORTDATA submitLivenessProofV2 expects: 0^12 || prover (20 bytes) ||
 * keccak256(abi.encode(data)) (160 bytes: x, y, number, hash, proverAddressHash).
 */
MPAVS_API void mpavs_contracts_liveness_report_data(uint8_t out[64], const mpavs_address *prover,
                                                    const mpavs_contracts_report_data *data);
/**
 * Fill data->reference_block_number/hash with the parent of the current head (as the
 * upstream operator does). Returns OK or ERR_RPC.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_reference_block(mpavs_contracts_ctx *c, mpavs_contracts_report_data *data);
/**
 * TEELivenessVerifier.submitLivenessProofV2(data, quote) from the sender: the only submission of
 * Automata's deployed verifiers (anyone may bind any key there). This project's verifier refuses
 * it (LivenessAuthorizationRequired): use mpavs_contracts_submit_liveness_auto or _authorized.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_submit_liveness(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                                const mpavs_contracts_report_data *data,
                                                                const uint8_t *quote, size_t len);
/** TEELivenessVerifier.verifyLivenessProofV2(x, y, prover). Out: *ok. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_liveness_valid(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                               bool *ok, const uint8_t pubkey_g1[64],
                                                               const mpavs_address *prover);

/*
 * Authorized liveness (issue #17 item 1). With V2 anyone can submit a quote from their own enclave
 * naming another operator's key and so re-bind that key to their prover. submitLivenessProofV3
 * takes, besides data and quote, the key's G2 public key and a BLS signature by the key over
 *   digest = keccak256(abi.encode(keccak256("MpavsLivenessAuthorization(uint256 chainId,address
 *            verifier,address prover,bytes32 reportDataHash)"), chainId, verifier, prover,
 *            keccak256(abi.encode(data))))
 * hashed to G1 as BN254.hashToG1, checked with BLSApkRegistry's G1/G2 possession equation.
 */

/** The liveness authorization version livenessAuthorizationVersion() reports; 0 = V2 only (reference). */
#define MPAVS_CONTRACTS_LIVENESS_AUTH_V1 1
/**
 * Version 2: the verifier also has submitLivenessProofV4 (per-TEE-quorum policies, the quorum number
 * bound in the authorization digest; contracts/README.md "TEE quorum policies"). V3 still works there.
 */
#define MPAVS_CONTRACTS_LIVENESS_AUTH_V2 2

/**
 * The authorization digest above for chain_id, the verifier (proxy) address, the prover (enclave)
 * address of the quote's REPORTDATA and data. Out: out (32 bytes).
 */
MPAVS_API void mpavs_contracts_liveness_auth_digest(uint8_t out[32], uint64_t chain_id, const mpavs_address *verifier,
                                                    const mpavs_address *prover,
                                                    const mpavs_contracts_report_data *data);

/**
 * Which submission d->tee_liveness_verifier has: eth_call livenessAuthorizationVersion(). A revert
 * (Automata's verifiers have no such function) or a return shorter than one word (no code) gives
 * *version = 0 (V2 only); otherwise the returned word (1: submitLivenessProofV3; 2: also
 * submitLivenessProofV4). Out: *version.
 * Returns OK, or ERR_RPC when the node could not answer (*version unchanged: ask again later).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_liveness_auth_version(mpavs_contracts_ctx *c,
                                                                      const mpavs_contracts_deployment *d,
                                                                      uint64_t *version);

/**
 * TEELivenessVerifier.submitLivenessProofV3(data, quote, pkG2, sig) from the sender, with
 * sig = bls_sk * hashToG1(mpavs_contracts_liveness_auth_digest(d->chain_id,
 * d->tee_liveness_verifier, prover, data)) and pkG2 = bls_sk * G2 (constant time in bls_sk; the
 * signature is checked locally before sending and the scratch wiped). prover must be the enclave
 * address of the quote's REPORTDATA [12..32). In: d->chain_id (non-zero).
 * Returns OK, ERR_ARG (chain id 0, or bls_sk's G1 key is not data->pubkey_g1), ERR_CRYPTO (invalid
 * secret key) or a send error (ERR_REVERTED with the decoded reason, ERR_SEND, ERR_RPC, ERR_NOMEM).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_submit_liveness_authorized(
    mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, const mpavs_contracts_report_data *data,
    const uint8_t *quote, size_t len, const mpavs_address *prover, const uint8_t bls_sk[32]);

/**
 * The quorum-bound authorization digest of submitLivenessProofV4 (contracts/README.md "TEE quorum
 * policies"): keccak256(abi.encode(keccak256("MpavsLivenessAuthorizationV4(uint256 chainId,address
 * verifier,address prover,bytes32 reportDataHash,uint8 quorumNumber)"), chain_id, verifier, prover,
 * keccak256(abi.encode(data)), quorum)). Out: out (32 bytes).
 */
MPAVS_API void mpavs_contracts_liveness_auth_digest_v4(uint8_t out[32], uint64_t chain_id, const mpavs_address *verifier,
                                                       const mpavs_address *prover,
                                                       const mpavs_contracts_report_data *data, uint8_t quorum);

/**
 * As mpavs_contracts_submit_liveness_authorized, through submitLivenessProofV4 for TEE quorum
 * `quorum` (verifiers with livenessAuthorizationVersion() >= MPAVS_CONTRACTS_LIVENESS_AUTH_V2): the
 * signature is over mpavs_contracts_liveness_auth_digest_v4 and the quote must pass that quorum's
 * policy on chain. Same returns.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_submit_liveness_quorum(
    mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, const mpavs_contracts_report_data *data,
    const uint8_t *quote, size_t len, const mpavs_address *prover, const uint8_t bls_sk[32], uint8_t quorum);

/**
 * Submit through the form `version` names (from mpavs_contracts_liveness_auth_version):
 * >= MPAVS_CONTRACTS_LIVENESS_AUTH_V1 → mpavs_contracts_submit_liveness_authorized, 0 →
 * mpavs_contracts_submit_liveness (a reference verifier). Same returns as those.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_submit_liveness_auto(
    mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, uint64_t version,
    const mpavs_contracts_report_data *data, const uint8_t *quote, size_t len, const mpavs_address *prover,
    const uint8_t bls_sk[32]);

/**
 * As mpavs_contracts_submit_liveness_auto (V3 for version >= V1, else V2), with value wei sent along
 * (NULL: 0): the attestation fee a fee-charging DCAP entrypoint (Automata's
 * AutomataDcapAttestationFee) takes; the verifier forwards it and the excess is refunded to
 * tx.origin. Same returns.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_submit_liveness_auto_fee(
    mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, uint64_t version,
    const mpavs_contracts_report_data *data, const uint8_t *quote, size_t len, const mpavs_address *prover,
    const uint8_t bls_sk[32], const mpavs_u256 *value);

/**
 * The operator's submission: submitLivenessProofV4 for TEE quorum `quorum` (0..255) when the
 * verifier has it (version >= MPAVS_CONTRACTS_LIVENESS_AUTH_V2), else as
 * mpavs_contracts_submit_liveness_auto_fee (V3 for version >= V1, V2 for 0); quorum -1 means no
 * quorum (always the latter). value: the attestation fee (NULL: 0). Same returns.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_submit_liveness_quorum_fee(
    mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, uint64_t version, int quorum,
    const mpavs_contracts_report_data *data, const uint8_t *quote, size_t len, const mpavs_address *prover,
    const uint8_t bls_sk[32], const mpavs_u256 *value);

/**
 * The attestation fee of verifying quote: eth_call of
 * d->tee_liveness_verifier.estimateBaseFeeVerifyOnChain(quote) from the sender (if any) at gas
 * price gas_price (NULL: omitted; the fee scales with tx.gasprice, so pass the price the
 * transaction will pay) with value wei (NULL: 0; a DCAP contract that charges inside the
 * estimate needs the most one will pay, e.g. the cap: the simulation refunds the excess).
 * A revert with Insufficient_Funds() (the fee is above value) is ERR_REVERTED; any other revert
 * (no such function, or the verification reverts) or a return shorter than one word gives
 * *fee = 0 and *supported = false. Out: *fee, *supported.
 * Returns OK, ERR_REVERTED, ERR_RPC (the node could not answer) or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_liveness_fee_estimate(mpavs_contracts_ctx *c,
                                                                      const mpavs_contracts_deployment *d,
                                                                      const uint8_t *quote, size_t len,
                                                                      const mpavs_u256 *gas_price,
                                                                      const mpavs_u256 *value, mpavs_u256 *fee,
                                                                      bool *supported);

/* ---------------- state confirmation ---------------- */

/** MultiProverServiceManager.StateHeader; quorum numbers/thresholds are parallel byte arrays. */
typedef struct {
    uint64_t committee_id;
    const uint8_t *metadata;
    size_t metadata_len;
    const uint8_t *state;
    size_t state_len;
    const uint8_t *quorum_numbers;
    const uint8_t *thresholds; /* percentages */
    size_t nquorums;
    uint32_t reference_block_number;
} mpavs_contracts_state_header;

/**
 * The BLS message: keccak256(abi.encode(ReducedStateHeader(committeeId, metadata, state,
 * referenceBlockNumber))) (= _hashReducedStateHeader). Returns OK or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_state_digest(uint8_t out[32], const mpavs_contracts_state_header *h);

/**
 * Confirm a state: reads getCheckSignaturesIndices(registryCoordinator, refBlock, quorums,
 * sorted non-signer ids) from the OperatorStateRetriever and each quorum's APK at refBlock
 * from the BLSApkRegistry, builds NonSignerStakesAndSignature (non-signers sorted by operator
 * id) and sends confirmState from the sender (the state confirmer).
 * In: h, nonsigners/nnonsigners (G1 public keys of the registered operators that did not
 * sign, any order), apk_g2 (sum of the signers' G2 keys), sigma (sum of their signatures
 * on mpavs_contracts_state_digest(h)). Out: *gas_used (may be NULL).
 * Returns OK, ERR_ARG, ERR_RPC, ERR_REVERTED, ERR_SEND, ERR_DECODE or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_confirm_state(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                              const mpavs_contracts_state_header *h,
                                                              const mpavs_bn254_g1 *nonsigners, size_t nnonsigners,
                                                              const mpavs_bn254_g2 *apk_g2, const mpavs_bn254_g1 *sigma,
                                                              uint64_t *gas_used);

/** The account the MultiProverServiceManager lets call confirmState (stateConfirmer()). Out: *confirmer. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_state_confirmer(mpavs_contracts_ctx *c,
                                                                const mpavs_contracts_deployment *d,
                                                                mpavs_address *confirmer);
/** MultiProverServiceManager.taskId(). Out: *task_id. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_task_id(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                        uint32_t *task_id);

/* ---------------- operator tooling on any network (mpavs operator, mpavs devnet status) ----------------
 *
 * A mpavs_contracts_deployment may be filled from mpavs/presets.h and completed from the chain
 * with mpavs_contracts_resolve_addresses.
 */

/**
 * Complete d from the chain, starting from d->registry_coordinator (required): every zero
 * address among service_manager, stake_registry, bls_apk_registry, index_registry (the
 * RegistryCoordinator's getters), delegation_manager (StakeRegistry.delegation()),
 * strategy_manager (DelegationManager.strategyManager()) and avs_directory
 * (serviceManager.avsDirectory()) is read; non-zero addresses are kept (explicit values win).
 * chain_id is set from eth_chainId when zero. The other fields are left as they are.
 * Returns OK, ERR_ARG (no registry coordinator), ERR_RPC, ERR_REVERTED or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_resolve_addresses(mpavs_contracts_ctx *c, mpavs_contracts_deployment *d);

/**
 * A strategy's IStrategy.underlyingToken() and that token's ERC20 decimals().
 * Out: *token, *decimals. Returns OK, ERR_RPC, ERR_REVERTED or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_strategy_token(mpavs_contracts_ctx *c, mpavs_address *token,
                                                               uint8_t *decimals, const mpavs_address *strategy);

/**
 * As mpavs_contracts_deposit, into strategy (NULL: d->strategy) with its underlying token read
 * from the chain: token.approve(strategyManager, amount), then
 * StrategyManager.depositIntoStrategy(strategy, token, amount).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_deposit_into(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                             const mpavs_address *strategy, const mpavs_u256 *amount);

/**
 * A token's balanceOf(owner) and allowance(owner, spender), for checks before a deposit.
 * Out: *balance, *allowance. Returns OK, ERR_RPC, ERR_REVERTED or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_token_funds(mpavs_contracts_ctx *c, mpavs_u256 *balance,
                                                            mpavs_u256 *allowance, const mpavs_address *token,
                                                            const mpavs_address *owner, const mpavs_address *spender);
/** token.approve(spender, amount) from the sender. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_approve(mpavs_contracts_ctx *c, const mpavs_address *token,
                                                        const mpavs_address *spender, const mpavs_u256 *amount);
/**
 * StrategyManager(d->strategy_manager).depositIntoStrategy(strategy, token, amount) alone, for a
 * sender whose allowance already covers amount (see mpavs_contracts_token_funds).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_deposit_approved(mpavs_contracts_ctx *c,
                                                                 const mpavs_contracts_deployment *d,
                                                                 const mpavs_address *strategy,
                                                                 const mpavs_address *token, const mpavs_u256 *amount);

/** DelegationManager.operatorShares(operator, strategy). Out: *shares. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_operator_shares(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                                mpavs_u256 *shares, const mpavs_address *operator_addr,
                                                                const mpavs_address *strategy);

/**
 * RegistryCoordinator.deregisterOperator(quorums) from the sender (quorums ascending).
 * Returns OK, ERR_ARG (no quorums) or a send error (not registered: ERR_REVERTED).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_opt_out(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                        const uint8_t *quorums, size_t nquorums);

/** Most quorums a RegistryCoordinator can have (its bitmaps are uint192). */
#define MPAVS_CONTRACTS_MAX_QUORUMS 192

/** An operator's standing with EigenLayer and the AVS (mpavs_contracts_operator_status). */
typedef struct {
    bool is_operator;         /* DelegationManager.isOperator */
    uint8_t avs_status;       /* RegistryCoordinator.getOperatorStatus: 0 never, 1 registered, 2 deregistered */
    uint8_t operator_id[32];  /* RegistryCoordinator.getOperatorId (zero if never registered) */
    mpavs_u256 quorum_bitmap; /* getCurrentQuorumBitmap(operator_id) (zero without an id) */
    uint8_t quorum_count;     /* RegistryCoordinator.quorumCount */
    mpavs_u256 stake[MPAVS_CONTRACTS_MAX_QUORUMS]; /* getCurrentStake(id, q) for q < quorum_count in the bitmap; else 0 */
    bool poa_enabled;         /* serviceManager.isPoAEnabled() */
    bool whitelisted;         /* serviceManager.isOperatorWhitelisted(operator) */
} mpavs_contracts_standing;

/**
 * Read an operator's standing (every field of mpavs_contracts_standing) at the latest block.
 * Out: *st. Returns OK, ERR_RPC, ERR_REVERTED or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_operator_status(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                                mpavs_contracts_standing *st,
                                                                const mpavs_address *operator_addr);

/** What a TEELivenessVerifier records for one BLS key (mpavs_contracts_liveness_status). */
typedef struct {
    uint64_t attested_at;      /* attestedProvers(id).time (unix s); 0 = never attested */
    uint64_t validity_seconds; /* attestValiditySeconds */
    uint64_t valid_until;      /* attested_at + validity_seconds; 0 when never attested */
    mpavs_address prover;      /* attestedProverAddr(id): the prover's enclave address */
    uint64_t now;              /* timestamp of the latest block of that chain */
    bool live;                 /* valid_until > now (the contract's verifyLivenessProof) */
} mpavs_contracts_liveness;

/**
 * Read the liveness record of operator_id (= keccak256(G1.x || G1.y), the verifier's key) from
 * the TEELivenessVerifier at verifier on c's chain (the attestation layer, which may differ from
 * the AVS chain). Out: *lv. Returns OK, ERR_RPC, ERR_REVERTED or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_liveness_status(mpavs_contracts_ctx *c, mpavs_contracts_liveness *lv,
                                                                const mpavs_address *verifier,
                                                                const uint8_t operator_id[32]);

/** One RegistryCoordinator OperatorRegistered event. */
typedef struct {
    mpavs_address operator_addr;
    uint8_t operator_id[32];
    uint64_t block_number;
    uint8_t tx_hash[32];
} mpavs_contracts_registration;

/**
 * The OperatorRegistered events of d->registry_coordinator from from_block to the latest block,
 * in chain order (one per registerOperator call). Out: *regs (malloc'd; free()), *n.
 * Returns OK, ERR_RPC, ERR_DECODE or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_registrations(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                              mpavs_contracts_registration **regs, size_t *n,
                                                              uint64_t from_block);

/** One MultiProverServiceManager StateConfirmed event. */
typedef struct {
    uint64_t committee_id;
    uint8_t *metadata; /* malloc'd */
    size_t metadata_len;
    uint8_t *state; /* malloc'd */
    size_t state_len;
    uint64_t block_number;
    uint8_t tx_hash[32];
} mpavs_contracts_confirmation;

/**
 * The StateConfirmed events of d->service_manager from from_block to the latest block, in
 * chain order. Out: *out (release with mpavs_contracts_confirmations_free), *n.
 * Returns OK, ERR_RPC, ERR_DECODE or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_confirmations(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                              mpavs_contracts_confirmation **out, size_t *n,
                                                              uint64_t from_block);
/** As mpavs_contracts_confirmations for blocks from_block..to_block (UINT64_MAX: the latest). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_confirmations_between(mpavs_contracts_ctx *c,
                                                                      const mpavs_contracts_deployment *d,
                                                                      mpavs_contracts_confirmation **out, size_t *n,
                                                                      uint64_t from_block, uint64_t to_block);
/** Release what mpavs_contracts_confirmations returned (NULL allowed). */
MPAVS_API void mpavs_contracts_confirmations_free(mpavs_contracts_confirmation *c, size_t n);

/** A confirmed state as the MultiProverServiceManager keeps it (the consumer API). */
typedef struct {
    bool found;                 /* false: nothing confirmed for that (committee, metadata) */
    uint8_t metadata_hash[32];  /* keccak256 of the metadata */
    uint8_t *state;             /* malloc'd (release with mpavs_contracts_confirmed_state_clear) */
    size_t state_len;
    uint32_t block_number;      /* the block confirmState was mined in */
    uint32_t task_id;
    uint32_t reference_block;   /* the AVS reference block the operators' stakes were taken at */
    mpavs_u256 sequence;        /* ordered committees: the sequence (e.g. the proven block); else 0 */
} mpavs_contracts_confirmed_state;

/**
 * getConfirmedState(committee, metadata) of d->service_manager at block tag (NULL: "latest").
 * Out: *s (s->found false when none). Returns OK, ERR_RPC, ERR_REVERTED (a contract without the
 * consumer API), ERR_DECODE or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_get_confirmed_state(mpavs_contracts_ctx *c,
                                                                    const mpavs_contracts_deployment *d,
                                                                    uint64_t committee, const uint8_t *metadata,
                                                                    size_t metadata_len, const char *tag,
                                                                    mpavs_contracts_confirmed_state *s);
/**
 * latestConfirmedState(committee): the committee's latest confirmation (for an ordered committee
 * the highest sequence, which never goes backwards). Out: *s. Returns as above.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_contracts_latest_confirmed_state(mpavs_contracts_ctx *c,
                                                                       const mpavs_contracts_deployment *d,
                                                                       uint64_t committee, const char *tag,
                                                                       mpavs_contracts_confirmed_state *s);
/** Release s->state and zero *s (NULL allowed). */
MPAVS_API void mpavs_contracts_confirmed_state_clear(mpavs_contracts_confirmed_state *s);

#ifdef __cplusplus
}
#endif
#endif
