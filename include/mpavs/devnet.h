/*
 * mpavs/devnet.h — deploy the mpavs devnet contract stack from forge artifacts and drive it:
 * EigenLayer-compatible core + middleware, MultiProverServiceManager, TEELivenessVerifier with
 * the on-chain SGX quote verifier; operator onboarding (EigenLayer operator, deposit, AVS
 * opt-in with BLS proof of possession), liveness proofs and state confirmation.
 *
 * Every call goes through a context holding a JSON-RPC client and a transaction sender (both
 * borrowed). On failure the functions return a code and write one line to ctx->error:
 * "<step>: <reason>" with revert reasons decoded against the contracts' custom errors.
 * A context must be used by one thread at a time (as its rpc and sender).
 *
 * Deployment order and parameters follow contracts/test/Fixture.sol (the Solidity test
 * fixture): PauserRegistry, EmptyContract, proxies (contracts/src/utils/Proxy.sol, admin =
 * the deployer) for DelegationManager, StrategyManager, AVSDirectory; TestToken; StrategyBase
 * proxy (whitelisted for deposits); proxies for IndexRegistry, BLSApkRegistry, StakeRegistry,
 * RegistryCoordinator (initialised with quorum 0: OperatorSetParam(50, 11000, 200), the
 * minimum stake, [(strategy, 1e18)]); MultiProverServiceManager proxy (owner, state
 * confirmer, PoA and committee manager = the deployer); OperatorStateRetriever; TEE quorum
 * {INTEL_SGX, 0} and committee 3 on quorum 0 (minimum threshold min_threshold, default 50 %:
 * confirmState refuses lower thresholds); SgxQuoteVerifier (QE identity of the devnet
 * QE unless overridden), AttestationVerifier over it, TEELivenessVerifier proxy.
 *
 * Notes: no artifact needs library linking (BN254/BitmapUtils are internal libraries); an
 * artifact with link placeholders is refused with ERR_ARTIFACT. staleStakesForbidden reads
 * false behind the proxy (as on upstream's proxies). The PCK key of the quotes to accept must be
 * registered separately (mpavs_devnet_add_pck_key_from_quote); on-chain quote verification
 * needs the P-256 precompile (EIP-7951; anvil --hardfork osaka), without it every quote is
 * refused with INVALID_REPORT.
 */
#ifndef MPAVS_DEVNET_H
#define MPAVS_DEVNET_H

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
    MPAVS_DEVNET_OK = 0,
    MPAVS_DEVNET_ERR_ARG,      /* an argument is unusable */
    MPAVS_DEVNET_ERR_ARTIFACT, /* a forge artifact is missing, malformed or needs linking */
    MPAVS_DEVNET_ERR_RPC,      /* the node could not be used */
    MPAVS_DEVNET_ERR_REVERTED, /* a transaction or call reverted (reason in ctx->error) */
    MPAVS_DEVNET_ERR_SEND,     /* a transaction could not be sent or was not mined */
    MPAVS_DEVNET_ERR_DECODE,   /* a contract returned data of an unexpected shape */
    MPAVS_DEVNET_ERR_CRYPTO,   /* a key is invalid or signing failed */
    MPAVS_DEVNET_ERR_IO,       /* a file could not be read or written */
    MPAVS_DEVNET_ERR_NOMEM,
} mpavs_devnet_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_devnet_strerror(int r);

/** A context: rpc and sender are borrowed (the sender's account sends every transaction). */
typedef struct {
    mpavs_rpc *rpc;
    mpavs_sender *sender;
    char error[640];   /* one line, set on failure */
    uint64_t gas_used; /* gas used by the last mined transaction this context sent */
    uint8_t tx_hash[32];   /* hash of that transaction (also set when it was mined but failed) */
    uint64_t block_number; /* block it was mined in */
} mpavs_devnet_ctx;

/** Addresses of a deployed stack (proxy addresses for proxied contracts). */
typedef struct {
    uint64_t chain_id;
    mpavs_address deployer, pauser_registry, delegation_manager, strategy_manager, avs_directory, strategy,
        token, registry_coordinator, bls_apk_registry, stake_registry, index_registry,
        operator_state_retriever, service_manager, tee_liveness_verifier, attestation_verifier,
        quote_verifier;
} mpavs_devnet_deployment;

/** Deployment options; zero fields take the defaults shown. */
typedef struct {
    const char *artifacts_dir;        /* forge output directory: "contracts/out" */
    mpavs_u256 min_stake;             /* quorum 0 minimum stake (weighted): 1e16 */
    uint64_t max_block_number_diff;   /* TEELivenessVerifier: 100 */
    uint64_t attest_validity_seconds; /* TEELivenessVerifier: 3600 */
    bool poa_enabled;                 /* MultiProverServiceManager PoA whitelist: false */
    const uint8_t *qe_mr_signer;      /* 32 bytes, or NULL: the devnet QE's MRSIGNER (ISVPRODID 1) */
    uint16_t qe_isv_prod_id;          /* used with qe_mr_signer */
    const uint8_t *mr_enclave;        /* 32 bytes to allow-list, or NULL: allow-list disabled */
    uint8_t min_threshold;            /* committee 3 / quorum 0 minimum threshold percent (1..100): 50 */
} mpavs_devnet_deploy_options;

/**
 * Deploy and configure the whole stack (see the file comment) from the sender's account.
 * In: c, opt (NULL: defaults). Out: *out (every address, chain id, deployer).
 * Returns OK, ERR_ARTIFACT, ERR_RPC, ERR_REVERTED, ERR_SEND, ERR_DECODE or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deploy(mpavs_devnet_ctx *c, mpavs_devnet_deployment *out,
                                                    const mpavs_devnet_deploy_options *opt);

/**
 * Write d as one JSON object: chainId (number) and the addresses as EIP-55 0x strings under
 * the keys deployer, pauserRegistry, delegationManager, strategyManager, avsDirectory,
 * strategy, token, registryCoordinator, blsApkRegistry, stakeRegistry, indexRegistry,
 * operatorStateRetriever, serviceManager, teeLivenessVerifier, attestationVerifier,
 * quoteVerifier. Out: *json (malloc'd, NUL-terminated). Returns OK or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deployment_to_json(char **json, const mpavs_devnet_deployment *d);
/** Write mpavs_devnet_deployment_to_json's text to path. Returns OK, ERR_IO or ERR_NOMEM. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deployment_save(const mpavs_devnet_deployment *d, const char *path);
/**
 * Read a deployment JSON file (every key above required). Out: *d; err (may be NULL, cap
 * errcap) names the missing or bad key. Returns OK, ERR_IO or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deployment_load(mpavs_devnet_deployment *d, const char *path,
                                                             char *err, size_t errcap);

/* ---------------- operator onboarding (the sender is the operator) ---------------- */

/** TestToken.transfer(to, amount) from the sender (the deployer holds the supply). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_token_transfer(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                            const mpavs_address *to, const mpavs_u256 *amount);
/**
 * DelegationManager.registerAsOperator((earningsReceiver = sender, approver 0, window 0), "").
 * Returns OK or an error (already registered: ERR_REVERTED).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_register_as_operator(mpavs_devnet_ctx *c,
                                                                  const mpavs_devnet_deployment *d);
/** token.approve(strategyManager, amount) then StrategyManager.depositIntoStrategy(strategy, token, amount). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deposit(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
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
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_opt_in(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                    const uint8_t ecdsa_sk[32], const uint8_t bls_sk[32],
                                                    const uint8_t *quorums, size_t nquorums, const char *socket,
                                                    const uint8_t salt[32], uint64_t expiry);

/** RegistryCoordinator.getOperatorId(operator). Out: id (zero when unregistered). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_operator_id(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                         const mpavs_address *operator_addr, uint8_t id[32]);
/** StakeRegistry.getCurrentStake(id, quorum). Out: *stake. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_current_stake(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                           const uint8_t id[32], uint8_t quorum, mpavs_u256 *stake);

/* ---------------- attestation ---------------- */

/**
 * Register with SgxQuoteVerifier.addPckKey (owner only) the PCK leaf public key carried in a
 * v3 quote's type-5 certification data (the caller verified the chain off-chain, e.g. with
 * mpavs_dcap_verify against the devnet root). FMSPC and TCB status are recorded as
 * zero (= UpToDate). Returns OK, ERR_ARG (no usable PCK certificate), or a send error.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_add_pck_key_from_quote(mpavs_devnet_ctx *c,
                                                                    const mpavs_devnet_deployment *d,
                                                                    const uint8_t *quote, size_t len);

/** The TEELivenessVerifier.ReportDataV2 fields. pubkey_g1 is x || y (64 bytes). */
typedef struct {
    uint8_t pubkey_g1[64];
    uint64_t reference_block_number;
    uint8_t reference_block_hash[32];
    uint8_t prover_address_hash[32];
} mpavs_devnet_report_data;

/**
 * The 64-byte REPORTDATA submitLivenessProofV2 expects: 0^12 || prover (20 bytes) ||
 * keccak256(abi.encode(data)) (160 bytes: x, y, number, hash, proverAddressHash).
 */
MPAVS_API void mpavs_devnet_liveness_report_data(uint8_t out[64], const mpavs_address *prover,
                                                 const mpavs_devnet_report_data *data);
/**
 * Fill data->reference_block_number/hash with the parent of the current head (as the
 * upstream operator does). Returns OK or ERR_RPC.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_reference_block(mpavs_devnet_ctx *c, mpavs_devnet_report_data *data);
/** TEELivenessVerifier.submitLivenessProofV2(data, quote) from the sender. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_submit_liveness(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                             const mpavs_devnet_report_data *data,
                                                             const uint8_t *quote, size_t len);
/** TEELivenessVerifier.verifyLivenessProofV2(x, y, prover). Out: *ok. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_liveness_valid(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                            bool *ok, const uint8_t pubkey_g1[64],
                                                            const mpavs_address *prover);

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
} mpavs_devnet_state_header;

/**
 * The BLS message: keccak256(abi.encode(ReducedStateHeader(committeeId, metadata, state,
 * referenceBlockNumber))) (= _hashReducedStateHeader). Returns OK or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_state_digest(uint8_t out[32], const mpavs_devnet_state_header *h);

/**
 * Confirm a state: reads getCheckSignaturesIndices(registryCoordinator, refBlock, quorums,
 * sorted non-signer ids) from the OperatorStateRetriever and each quorum's APK at refBlock
 * from the BLSApkRegistry, builds NonSignerStakesAndSignature (non-signers sorted by operator
 * id) and sends confirmState from the sender (the state confirmer).
 * In: h, nonsigners/nnonsigners (G1 public keys of the registered operators that did not
 * sign, any order), apk_g2 (sum of the signers' G2 keys), sigma (sum of their signatures
 * on mpavs_devnet_state_digest(h)). Out: *gas_used (may be NULL).
 * Returns OK, ERR_ARG, ERR_RPC, ERR_REVERTED, ERR_SEND, ERR_DECODE or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_confirm_state(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                           const mpavs_devnet_state_header *h,
                                                           const mpavs_bn254_g1 *nonsigners, size_t nnonsigners,
                                                           const mpavs_bn254_g2 *apk_g2, const mpavs_bn254_g1 *sigma,
                                                           uint64_t *gas_used);

/** MultiProverServiceManager.taskId(). Out: *task_id. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_task_id(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                     uint32_t *task_id);

/* ---------------- operator tooling on any network (mpavs operator, mpavs devnet status) ----------------
 *
 * These work on any deployment of the reference contracts (mainnet, Holesky, the devnet): a
 * mpavs_devnet_deployment may be filled from mpavs/presets.h and completed from the chain with
 * mpavs_devnet_resolve_addresses. Read-only functions accept a context without a sender
 * (c->sender NULL: eth_call without "from").
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
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_resolve_addresses(mpavs_devnet_ctx *c, mpavs_devnet_deployment *d);

/**
 * A strategy's IStrategy.underlyingToken() and that token's ERC20 decimals().
 * Out: *token, *decimals. Returns OK, ERR_RPC, ERR_REVERTED or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_strategy_token(mpavs_devnet_ctx *c, mpavs_address *token,
                                                            uint8_t *decimals, const mpavs_address *strategy);

/**
 * As mpavs_devnet_deposit, into strategy (NULL: d->strategy) with its underlying token read
 * from the chain: token.approve(strategyManager, amount), then
 * StrategyManager.depositIntoStrategy(strategy, token, amount).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deposit_into(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                          const mpavs_address *strategy, const mpavs_u256 *amount);

/** DelegationManager.operatorShares(operator, strategy). Out: *shares. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_operator_shares(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                             mpavs_u256 *shares, const mpavs_address *operator_addr,
                                                             const mpavs_address *strategy);

/**
 * RegistryCoordinator.deregisterOperator(quorums) from the sender (quorums ascending).
 * Returns OK, ERR_ARG (no quorums) or a send error (not registered: ERR_REVERTED).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_opt_out(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                     const uint8_t *quorums, size_t nquorums);

/** Most quorums a RegistryCoordinator can have (its bitmaps are uint192). */
#define MPAVS_DEVNET_MAX_QUORUMS 192

/** An operator's standing with EigenLayer and the AVS (mpavs_devnet_operator_status). */
typedef struct {
    bool is_operator;         /* DelegationManager.isOperator */
    uint8_t avs_status;       /* RegistryCoordinator.getOperatorStatus: 0 never, 1 registered, 2 deregistered */
    uint8_t operator_id[32];  /* RegistryCoordinator.getOperatorId (zero if never registered) */
    mpavs_u256 quorum_bitmap; /* getCurrentQuorumBitmap(operator_id) (zero without an id) */
    uint8_t quorum_count;     /* RegistryCoordinator.quorumCount */
    mpavs_u256 stake[MPAVS_DEVNET_MAX_QUORUMS]; /* getCurrentStake(id, q) for q < quorum_count in the bitmap; else 0 */
    bool poa_enabled;         /* serviceManager.isPoAEnabled() */
    bool whitelisted;         /* serviceManager.isOperatorWhitelisted(operator) */
} mpavs_devnet_standing;

/**
 * Read an operator's standing (every field of mpavs_devnet_standing) at the latest block.
 * Out: *st. Returns OK, ERR_RPC, ERR_REVERTED or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_operator_status(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                             mpavs_devnet_standing *st,
                                                             const mpavs_address *operator_addr);

/** What a TEELivenessVerifier records for one BLS key (mpavs_devnet_liveness_status). */
typedef struct {
    uint64_t attested_at;      /* attestedProvers(id).time (unix s); 0 = never attested */
    uint64_t validity_seconds; /* attestValiditySeconds */
    uint64_t valid_until;      /* attested_at + validity_seconds; 0 when never attested */
    mpavs_address prover;      /* attestedProverAddr(id): the prover's enclave address */
    uint64_t now;              /* timestamp of the latest block of that chain */
    bool live;                 /* valid_until > now (the contract's verifyLivenessProof) */
} mpavs_devnet_liveness;

/**
 * Read the liveness record of operator_id (= keccak256(G1.x || G1.y), the verifier's key) from
 * the TEELivenessVerifier at verifier on c's chain (the attestation layer, which may differ from
 * the AVS chain). Out: *lv. Returns OK, ERR_RPC, ERR_REVERTED or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_liveness_status(mpavs_devnet_ctx *c, mpavs_devnet_liveness *lv,
                                                             const mpavs_address *verifier,
                                                             const uint8_t operator_id[32]);

/** One RegistryCoordinator OperatorRegistered event. */
typedef struct {
    mpavs_address operator_addr;
    uint8_t operator_id[32];
    uint64_t block_number;
    uint8_t tx_hash[32];
} mpavs_devnet_registration;

/**
 * The OperatorRegistered events of d->registry_coordinator from from_block to the latest block,
 * in chain order (one per registerOperator call). Out: *regs (malloc'd; free()), *n.
 * Returns OK, ERR_RPC, ERR_DECODE or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_registrations(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                           mpavs_devnet_registration **regs, size_t *n,
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
} mpavs_devnet_confirmation;

/**
 * The StateConfirmed events of d->service_manager from from_block to the latest block, in
 * chain order. Out: *out (release with mpavs_devnet_confirmations_free), *n.
 * Returns OK, ERR_RPC, ERR_DECODE or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_confirmations(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                                           mpavs_devnet_confirmation **out, size_t *n,
                                                           uint64_t from_block);
/** Release what mpavs_devnet_confirmations returned (NULL allowed). */
MPAVS_API void mpavs_devnet_confirmations_free(mpavs_devnet_confirmation *c, size_t n);

/**
 * Read one string member of a deployment JSON file (the devnet orchestrator adds "rpcUrl",
 * "l2RpcUrl" to the keys mpavs_devnet_deployment_load reads). Out: out (cap bytes, NUL-terminated).
 * Returns OK, ERR_IO (unreadable or not JSON), ERR_DECODE (absent or not a string) or ERR_ARG
 * (longer than cap - 1).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deployment_string(char *out, size_t cap, const char *path,
                                                               const char *key);

/* ---------------- eigensdk BLS key files ---------------- */

/**
 * The eigensdk "pubKey" text of a G1 point: "E([x,y])" with x and y in decimal as gnark's
 * fp.Element.Text(10) prints them (a value v with p - v <= 65535 prints as "-(p - v)").
 * Out: out (cap >= 200). Returns OK or ERR_ARG (cap too small).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_bls_pubkey_text(char *out, size_t cap, const mpavs_bn254_g1 *pk);

/**
 * Parse an eigensdk "pubKey" text ("E([x,y])", decimal, "-k" meaning p - k) into a point on
 * the curve. Out: *pk. Returns OK or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_bls_pubkey_parse(mpavs_bn254_g1 *pk, const char *text);

/**
 * Encrypt a BLS secret key into eigensdk key-file JSON ({"pubKey": ..., "crypto": ...}, scrypt
 * with n = scrypt_n or the default when 0, r = 8, p = 1). Out: *json (malloc'd; free()).
 * Returns OK, ERR_CRYPTO (invalid key, bad scrypt n, no randomness) or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_bls_key_encrypt(char **json, const uint8_t sk[32], const char *password,
                                                             size_t password_len, uint32_t scrypt_n);

/**
 * Decrypt eigensdk key-file JSON into the BLS secret key (big-endian plaintext reduced mod r,
 * as eigensdk). The file's pubKey field must be present; *pub_matches tells whether it names the
 * key's G1 point (eigensdk ignores it: the keys are recomputed from sk).
 * Out: sk (wiped on failure), *pub_matches (may be NULL). err (may be NULL, errcap) gets a
 * reason. Returns OK, ERR_CRYPTO (wrong password / zero key) or ERR_DECODE (not a BLS key file).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_bls_key_decrypt(uint8_t sk[32], bool *pub_matches, char *err,
                                                             size_t errcap, const char *json, size_t len,
                                                             const char *password, size_t password_len);

#ifdef __cplusplus
}
#endif
#endif
