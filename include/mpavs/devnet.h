/*
 * mpavs/devnet.h — devnet tooling on top of mpavs/contracts.h, in its own library
 * (libmpavs-devnet.a, linked by the CLI and the tests, never by a daemon: `make layers` checks):
 * deploy the mpavs devnet contract stack from forge artifacts (EigenLayer-compatible core +
 * middleware, MultiProverServiceManager, TEELivenessVerifier with the on-chain SGX quote
 * verifier), read and write deployment files, fund operators with the test token and register
 * PCK keys (every call of those takes a mpavs_contracts_ctx, see mpavs/contracts.h for its rules),
 * and a transaction load generator for the proven chain (mpavs_devnet_load_*, at the end).
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

/**
 * Who holds each role of the AVS contracts; a zero address means the deployer. The deployer
 * keeps every role while it configures the contracts and hands over at the end (in this order):
 * MultiProverServiceManager.setCommitteeManager, transferOwnership of the service manager,
 * RegistryCoordinator, TEELivenessVerifier, AttestationVerifier and (when deployed) the
 * SgxQuoteVerifier, then Proxy.changeAdmin of every proxy. The state confirmer, PoA manager,
 * ejector, churn approver, pauser and unpauser are set at initialisation.
 */
typedef struct {
    mpavs_address owner;             /* owner of every contract (may be a multisig) */
    mpavs_address proxy_admin;       /* admin of every proxy (may be a multisig) */
    mpavs_address state_confirmer;   /* the aggregator's key: the only one that may confirmState */
    mpavs_address poa_manager;       /* manages the PoA whitelist */
    mpavs_address committee_manager; /* adds and removes committees and TEE quorums */
    mpavs_address pauser, unpauser;  /* the PauserRegistry's one pauser and its unpauser */
    mpavs_address ejector, churn_approver; /* RegistryCoordinator roles */
} mpavs_devnet_roles;

/** Most steps (transactions) one deployment may take. */
#define MPAVS_DEVNET_MAX_STEPS 96

/** One step of a deployment: a contract creation or a call. */
typedef struct {
    char what[64];         /* e.g. "deploy RegistryCoordinator", "addTEEQuorum" */
    mpavs_address to;      /* the called contract (zero for a creation) */
    mpavs_address address; /* the created contract (zero for a call); in a plan, predicted from the nonce */
    uint8_t tx_hash[32];   /* zero in a plan */
    uint64_t gas_used;     /* zero in a plan */
} mpavs_devnet_deploy_step;

/**
 * The steps a deployment has done, in order: what resumes an interrupted deployment. Steps
 * 0..n-1 are not sent again (a creation's recorded address is reused after checking that it has
 * code); new steps are appended.
 */
typedef struct {
    size_t n;
    mpavs_devnet_deploy_step steps[MPAVS_DEVNET_MAX_STEPS];
} mpavs_devnet_deploy_log;

/**
 * Told of each step when it is done (or, in a plan, listed): index in the log, resumed = it was
 * done by an earlier run, so_far = the addresses known at that point (write them out to resume).
 * Returning non-zero stops the deployment with ERR_ARG ("stopped by the caller").
 */
typedef int (*mpavs_devnet_step_fn)(void *arg, size_t index, const mpavs_devnet_deploy_step *s, bool resumed,
                                    const mpavs_contracts_deployment *so_far);

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
    /* Two TEE quorums (multi-prover): RegistryCoordinator quorum 1 beside 0, TEE quorums
     * {INTEL_SGX, 0} and {INTEL_TDX, 1}, committee 3 on both (same min_threshold), and the
     * per-quorum policies of the TEELivenessVerifier: quorum 0 SGX (mr_enclave listed when given),
     * quorum 1 TDX (td_identity listed when given), TCB statuses OK and SW_HARDENING_NEEDED.
     * false: one TEE quorum {INTEL_SGX, 0}, no per-quorum policy. */
    bool tdx_quorum;
    const uint8_t *td_identity;       /* 32 bytes keccak256(MRTD || RTMR0..3 || MRCONFIGID) for quorum 1, or NULL */
    /* The TD QE identity SgxQuoteVerifier checks in TDX quotes: NULL = the devnet TD QE's
     * (mpavs_dcap_devnet_td_qe_identity); set with qe_mr_signer for Intel's (0xdc9e2a7c..., 2). */
    const uint8_t *td_qe_mr_signer;
    uint16_t td_qe_isv_prod_id;       /* used with td_qe_mr_signer */
    /* ---- the AVS on an existing core (mpavs_devnet_deploy_avs) and every deployment ---- */
    mpavs_devnet_roles roles;         /* zero fields: the deployer */
    /* Automata's DCAP attestation entrypoint for the AttestationVerifier (NULL: deploy our
     * SgxQuoteVerifier and use it) */
    const mpavs_address *dcap_attestation;
    uint16_t max_operators;           /* per quorum: 50 */
    mpavs_devnet_deploy_log *log;     /* optional: resume from it, record into it */
    mpavs_devnet_step_fn on_step;     /* optional: progress (and the place to save for a resume) */
    void *on_step_arg;
    bool plan;                        /* send nothing: list the steps (on_step) with the addresses the
                                         creations would get from the sender's nonce */
} mpavs_devnet_deploy_options;

/**
 * Deploy and configure the whole stack (see the file comment) from the sender's account.
 * In: c, opt (NULL: defaults). Out: *out (every address, chain id, deployer).
 * Returns OK, ERR_ARTIFACT, ERR_RPC, ERR_REVERTED, ERR_SEND, ERR_DECODE or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deploy(mpavs_contracts_ctx *c, mpavs_contracts_deployment *out,
                                                    const mpavs_devnet_deploy_options *opt);

/**
 * Deploy the devnet's stand-in EigenLayer core only: EmptyContract, DelegationManager,
 * StrategyManager and AVSDirectory behind proxies, TestToken and its StrategyBase (whitelisted).
 * Fills out's delegation_manager, strategy_manager, avs_directory, token, strategy, chain_id and
 * deployer (the rest zero). opt: artifacts_dir, log, on_step, plan. Returns as mpavs_devnet_deploy.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deploy_core(mpavs_contracts_ctx *c, mpavs_contracts_deployment *out,
                                                         const mpavs_devnet_deploy_options *opt);

/**
 * Deploy the AVS against an existing EigenLayer core: d's delegation_manager, avs_directory and
 * strategy (quorum strategies, multiplier 1e18) must be set (strategy_manager and token are
 * kept as given). Deploys PauserRegistry, the middleware behind proxies, RegistryCoordinator,
 * MultiProverServiceManager, OperatorStateRetriever, the TEE quorums and committee 3 of opt
 * (tdx_quorum, min_threshold, min_stake, max_operators), the attestation contracts (our verifier
 * or opt->dcap_attestation), the TEELivenessVerifier, and hands the roles over (opt->roles).
 * In/out: *d (the new addresses added). Returns as mpavs_devnet_deploy.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_deploy_avs(mpavs_contracts_ctx *c, mpavs_contracts_deployment *d,
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

/* ---------------- load generator ---------------- */

/*
 * A workload for a devnet's proven chain (what `mpavs devnet up` sends to its L2 anvil, so that
 * the provers execute non-empty blocks): signed EIP-1559 transactions from one account whose
 * nonces it keeps itself (the account must send nothing else meanwhile; a refused transaction
 * re-reads the pending nonce). The first three transactions deploy its contracts by CREATE:
 *   store      runtime 0x6020356000355500: SSTORE(calldata[0], calldata[32]);
 *   forwarder  CALL(calldata[0] as address, calldata[32..]) with all gas: a call into a contract
 *              that calls another;
 *   factory    CREATE2(0, calldata[32..] as init code, salt calldata[0]).
 * Then it repeats eight kinds in a fixed order: a transfer of 1 gwei to a new account, a write
 * of a new store slot, a CREATE of a contract whose constructor writes slot 0 and which returns
 * the store's runtime, a forwarder call writing a new store slot, a deletion (write of zero) of
 * the oldest live slot, a CREATE2 of the same init code through the factory (salt: the step), a
 * transfer to the account this cycle's first transfer funded, an overwrite of the newest live slot.
 * Values and accounts derive from the step number (no randomness); no transaction is a zero-value
 * call to an account that does not exist (docs/blockexec.md: open on anvil). No threads: the caller
 * paces mpavs_devnet_load_send. One generator per thread.
 */
typedef struct mpavs_devnet_load mpavs_devnet_load;

/** Transaction kinds, for mpavs_devnet_load_stats.by_kind. */
typedef enum {
    MPAVS_DEVNET_LOAD_TRANSFER = 0, /* value transfer to an account without code */
    MPAVS_DEVNET_LOAD_CREATE,       /* contract creation transaction (the three setup ones included) */
    MPAVS_DEVNET_LOAD_CREATE2,      /* factory call creating a contract with CREATE2 */
    MPAVS_DEVNET_LOAD_STORE,        /* store call writing a non-zero value (new slot or overwrite) */
    MPAVS_DEVNET_LOAD_DELETE,       /* store call writing zero over a live slot */
    MPAVS_DEVNET_LOAD_CALL,         /* forwarder call into the store (contract to contract) */
    MPAVS_DEVNET_LOAD_KINDS
} mpavs_devnet_load_kind;

/** Name of a kind ("transfer", "create", "create2", "store", "delete", "call"); "?" when out of range. */
MPAVS_API const char *mpavs_devnet_load_kind_name(int kind);

/** Options; zero fields take the defaults shown. */
typedef struct {
    uint64_t chain_id;            /* 0: eth_chainId */
    mpavs_u256 max_fee_per_gas;   /* 20 gwei */
    mpavs_u256 max_priority_fee;  /* 1 gwei */
} mpavs_devnet_load_options;

/** What a generator sent so far. */
typedef struct {
    uint64_t sent;                              /* transactions the node accepted */
    uint64_t by_kind[MPAVS_DEVNET_LOAD_KINDS];  /* of those, per kind */
    uint64_t refused;                           /* eth_sendRawTransaction errors */
    uint64_t next_nonce;                        /* nonce of the next transaction */
    mpavs_address sender, store, forwarder, factory;
} mpavs_devnet_load_stats;

/**
 * Create a generator sending from seckey's account through rpc (borrowed: it must outlive the
 * generator; use it from one thread). Reads the chain id (unless given) and the account's
 * pending nonce, from which the contracts' addresses follow. Out: *out (NULL on failure), *err
 * (may be NULL). Returns OK, ERR_ARG (NULL rpc or out, invalid seckey), ERR_RPC, ERR_CRYPTO or
 * ERR_NOMEM. Sends nothing.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_load_create(mpavs_devnet_load **out, mpavs_error *err, mpavs_rpc *rpc,
                                                         const uint8_t seckey[32],
                                                         const mpavs_devnet_load_options *opt);

/**
 * Sign and send the next n transactions of the workload (eth_sendRawTransaction; it does not
 * wait for them to be mined). Out: *sent (may be NULL): how many the node accepted; *err.
 * Stops at the first refusal, which counts in stats.refused and makes the generator re-read the
 * pending nonce (the refused step is retried by the next call). Returns OK, ERR_RPC (refused or
 * unreachable), ERR_CRYPTO or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_devnet_load_send(mpavs_devnet_load *g, size_t *sent, mpavs_error *err, size_t n);

/** Copy the counters. Out: *out. */
MPAVS_API void mpavs_devnet_load_get_stats(const mpavs_devnet_load *g, mpavs_devnet_load_stats *out);

/** Wipe the key and free (NULL allowed). */
MPAVS_API void mpavs_devnet_load_destroy(mpavs_devnet_load *g);

#ifdef __cplusplus
}
#endif
#endif
