/*
 * mpavs/devnet.h — devnet tooling on top of mpavs/contracts.h, in its own library
 * (libmpavs-devnet.a, linked by the CLI and the tests, never by a daemon: `make layers` checks):
 * deploy the mpavs devnet contract stack from forge artifacts (EigenLayer-compatible core +
 * middleware, MultiProverServiceManager, TEELivenessVerifier with the on-chain SGX quote
 * verifier), read and write deployment files, fund operators with the test token and register
 * PCK keys. Every call takes a mpavs_contracts_ctx (see mpavs/contracts.h for its rules).
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

#include "mpavs/contracts.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_DEVNET_OK = MPAVS_CONTRACTS_OK,
    MPAVS_DEVNET_ERR_ARG = MPAVS_CONTRACTS_ERR_ARG,
    MPAVS_DEVNET_ERR_ARTIFACT = 2, /* a forge artifact is missing, malformed or needs linking */
    MPAVS_DEVNET_ERR_RPC = MPAVS_CONTRACTS_ERR_RPC,
    MPAVS_DEVNET_ERR_REVERTED = MPAVS_CONTRACTS_ERR_REVERTED,
    MPAVS_DEVNET_ERR_SEND = MPAVS_CONTRACTS_ERR_SEND,
    MPAVS_DEVNET_ERR_DECODE = MPAVS_CONTRACTS_ERR_DECODE,
    MPAVS_DEVNET_ERR_CRYPTO = MPAVS_CONTRACTS_ERR_CRYPTO,
    MPAVS_DEVNET_ERR_IO = 8, /* a file could not be read or written */
    MPAVS_DEVNET_ERR_NOMEM = MPAVS_CONTRACTS_ERR_NOMEM,
} mpavs_devnet_result;

/** Name of a result value (the mpavs_contracts_result values included). Never NULL. */
MPAVS_API const char *mpavs_devnet_strerror(int r);

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
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deploy(mpavs_contracts_ctx *c, mpavs_contracts_deployment *out,
                                                    const mpavs_devnet_deploy_options *opt);

/**
 * Write d as one JSON object: chainId (number) and the addresses as EIP-55 0x strings under
 * the keys deployer, pauserRegistry, delegationManager, strategyManager, avsDirectory,
 * strategy, token, registryCoordinator, blsApkRegistry, stakeRegistry, indexRegistry,
 * operatorStateRetriever, serviceManager, teeLivenessVerifier, attestationVerifier,
 * quoteVerifier. Out: *json (malloc'd, NUL-terminated). Returns OK or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deployment_to_json(char **json, const mpavs_contracts_deployment *d);
/** Write mpavs_devnet_deployment_to_json's text to path. Returns OK, ERR_IO or ERR_NOMEM. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deployment_save(const mpavs_contracts_deployment *d, const char *path);
/**
 * Read a deployment JSON file (every key above required). Out: *d; *err (may be NULL; module
 * "devnet") names the missing or bad key. Returns OK, ERR_IO or ERR_DECODE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deployment_load(mpavs_contracts_deployment *d, mpavs_error *err,
                                                             const char *path);

/** TestToken.transfer(to, amount) from the sender (the deployer holds the supply). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_token_transfer(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                            const mpavs_address *to, const mpavs_u256 *amount);
/* ---------------- attestation ---------------- */

/**
 * Register with SgxQuoteVerifier.addPckKey (owner only) the PCK leaf public key carried in a
 * v3 quote's type-5 certification data (the caller verified the chain off-chain, e.g. with
 * mpavs_dcap_verify against the devnet root). FMSPC and TCB status are recorded as
 * zero (= UpToDate). Returns OK, ERR_ARG (no usable PCK certificate), or a send error.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_add_pck_key_from_quote(mpavs_contracts_ctx *c,
                                                                    const mpavs_contracts_deployment *d,
                                                                    const uint8_t *quote, size_t len);

/**
 * Read one string member of a deployment JSON file (the devnet orchestrator adds "rpcUrl",
 * "l2RpcUrl" to the keys mpavs_devnet_deployment_load reads). Out: out (cap bytes, NUL-terminated).
 * Returns OK, ERR_IO (unreadable or not JSON), ERR_DECODE (absent or not a string) or ERR_ARG
 * (longer than cap - 1).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deployment_string(char *out, size_t cap, const char *path,
                                                               const char *key);

#ifdef __cplusplus
}
#endif
#endif
