/*
 * mpavs/presets.h — built-in network presets: Ethereum mainnet, Hoodi and Sepolia.
 *
 * Each preset holds EigenLayer's core contracts on that network (eigenlayer-contracts README
 * @ f84a51510, 2026-05; ../shared/spec/networks.md, checked against it by
 * tests/unit/test_presets.c through the vendored copy tests/vectors/networks/networks.md), the
 * Automata DCAP attestation entrypoint and PCCSRouter (automata-dcap-attestation @ 2df31aa),
 * and, where a deployment of the Multi-Prover AVS is public (mainnet only), its addresses and
 * attestation-layer profiles (upstream utils/params.go; upstream.md §1.8.3 and §5.6). On Hoodi
 * and Sepolia the AVS addresses are NULL: they come from a deployment file (mpavs operator
 * --deployment FILE) or flags.
 *
 * Holesky was shut down in 2025 (its AVS addresses are dead): it is no preset, and
 * mpavs_preset_retired("holesky") says where to go instead. Every address is an EIP-55
 * checksummed "0x" string (tests/unit/test_presets.c checks them).
 *
 * The tables are constant data: nothing here allocates or holds state; returned pointers
 * stay valid for the life of the process.
 */
#ifndef MPAVS_PRESETS_H
#define MPAVS_PRESETS_H

#include "mpavs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An attestation layer: where an operator's liveness proofs go (TEELivenessVerifier). */
typedef struct {
    const char *name;              /* profile name, e.g. "optimism", "automata" */
    const char *liveness_verifier; /* TEELivenessVerifier proxy address */
    const char *rpc_url;           /* RPC URL of the attestation chain; NULL = none (use the AVS chain's) */
} mpavs_preset_profile;

/** One network's preset. Strings are never NULL unless documented. */
typedef struct {
    const char *network;  /* "mainnet", "hoodi", "sepolia" */
    uint64_t chain_id;    /* 1, 560048, 11155111 */
    /* the Multi-Prover AVS (EIP-55 0x strings); all NULL where no deployment is public */
    const char *registry_coordinator, *operator_state_retriever, *service_manager, *stake_registry,
        *bls_apk_registry, *index_registry;
    /* EigenLayer core (never NULL) */
    const char *delegation_manager, *strategy_manager, *avs_directory, *allocation_manager, *rewards_coordinator,
        *permission_controller;
    /* Automata DCAP attestation (never NULL): AutomataDcapAttestationFee entrypoint, PCCSRouter */
    const char *dcap_attestation, *pccs_router;
    const char *default_profile;                    /* name of one of profiles[]; NULL when nprofiles is 0 */
    const mpavs_preset_profile *profiles;
    size_t nprofiles;
    const char *prover_url, *aggregator_url; /* the reference operator-setup examples; NULL when none */
    const char *eth_rpc_url;                 /* a public RPC endpoint (never NULL) */
    const char *quorum_task_types; /* JSON text, "{\"0\":1,\"1\":2}" for both */
} mpavs_preset;

/**
 * The preset of a network by name ("mainnet", "hoodi", "sepolia"; ASCII case-insensitive).
 * Returns NULL if the name is unknown (or NULL), retired names included.
 */
MPAVS_API const mpavs_preset *mpavs_preset_by_network(const char *network);

/**
 * Why a retired network name ("holesky", case-insensitive) is no preset any more and which
 * networks to use instead (one line). Returns NULL if network is not a retired name (or NULL).
 */
MPAVS_API const char *mpavs_preset_retired(const char *network);

/**
 * The preset whose RegistryCoordinator is addr: "0x" optional, hex digits compared
 * case-insensitively (no checksum check); presets without an AVS deployment never match.
 * Returns NULL if no preset matches (or addr is NULL).
 */
MPAVS_API const mpavs_preset *mpavs_preset_by_registry_coordinator(const char *addr);

/**
 * A profile of preset p by name (case-insensitive); NULL or "" selects p->default_profile.
 * Returns NULL if p has no profile of that name (or no profiles at all). p must not be NULL.
 *
 * C gives a typedef and a function one namespace, so the type mpavs_preset_profile and a
 * function of the same name cannot coexist: the function is mpavs_preset_profile_get and the
 * function-like macro mpavs_preset_profile(p, name) calls it (a macro of that form expands
 * only when followed by '(', so the type name keeps working).
 */
MPAVS_API const mpavs_preset_profile *mpavs_preset_profile_get(const mpavs_preset *p, const char *name);
#define mpavs_preset_profile(p, name) mpavs_preset_profile_get((p), (name))

/**
 * The i-th preset (0 ≤ i < mpavs_preset_count()), for listing them; NULL when i is out of range.
 */
MPAVS_API const mpavs_preset *mpavs_preset_at(size_t i);

/** The number of built-in presets. */
MPAVS_API size_t mpavs_preset_count(void);

#ifdef __cplusplus
}
#endif
#endif
